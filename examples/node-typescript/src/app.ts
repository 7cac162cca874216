import Fastify, { type FastifyInstance } from "fastify";

/** The service's routes, without a listening socket (the tests inject requests). */
export function buildApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get("/", async () => ({ message: "hello from node-typescript", node: process.version }));
  app.get("/healthz", async () => "ok");
  return app;
}
