import { Hono } from "hono";
const app = new Hono();
app.get("/", (c) => c.text("board"));
export default { port: Number(process.env.PORT) || 4000, fetch: app.fetch };
