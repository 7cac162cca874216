Bun.serve({ port: 8080, fetch: () => new Response("hi") });
