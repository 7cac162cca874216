import { test } from "node:test";
import assert from "node:assert/strict";
import { buildApp } from "./app.js";

test("GET / greets", async () => {
  const res = await buildApp().inject({ method: "GET", url: "/" });
  assert.equal(res.statusCode, 200);
  assert.match(res.json().message, /hello from node-typescript/);
});
