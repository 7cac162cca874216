const { test } = require("node:test");
const assert = require("node:assert");
const request = require("supertest");
const app = require("../src/app");

test("GET / greets", async () => {
  const res = await request(app).get("/").expect(200);
  assert.match(res.body.message, /hello from node-express/);
});

test("GET /healthz is ok", async () => {
  await request(app).get("/healthz").expect(200, "ok");
});
