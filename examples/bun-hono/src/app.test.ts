import { expect, test } from "bun:test";
import { app } from "./app";

test("GET / answers", async () => {
  const res = await app.request("/");
  expect(await res.text()).toBe("hello from bun-hono");
});
