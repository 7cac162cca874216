const Koa = require('koa');
const Router = require('@koa/router');

const app = new Koa();
const router = new Router();

router.get('/', (ctx) => {
  ctx.body = { service: 'koa-yarn', ok: true };
});

app.use(router.routes()).use(router.allowedMethods());

app.listen(process.env.PORT || 3000);
