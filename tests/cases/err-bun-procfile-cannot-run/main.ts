Bun.serve({ fetch: () => new Response("ok") });
