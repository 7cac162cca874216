// The Koa app, without a listening socket.
const Koa = require("koa");
const Router = require("@koa/router");

function createApp() {
  const app = new Koa();
  const router = new Router();
  router.get("/", (ctx) => {
    ctx.body = { message: "hello from node-yarn", node: process.version };
  });
  router.get("/healthz", (ctx) => {
    ctx.body = "ok";
  });
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

module.exports = { createApp };
