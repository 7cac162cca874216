import { Hono } from "hono";

export const app = new Hono();

app.get("/", (c) => c.text("hello from bun-hono"));
app.get("/healthz", (c) => c.text("ok"));
