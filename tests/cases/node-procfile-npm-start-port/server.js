const port = Number(process.argv[process.argv.indexOf("--port") + 1]) || 8080;
require("fastify")().get("/", async () => "api").listen({ host: "0.0.0.0", port });
