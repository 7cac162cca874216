export default { port: 8080, fetch: () => new Response("hi") };
