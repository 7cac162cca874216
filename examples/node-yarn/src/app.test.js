const { test } = require("node:test");
const assert = require("node:assert/strict");
const { createApp } = require("./app");

test("GET / greets", async () => {
  const server = createApp().listen(0);
  try {
    const res = await fetch(`http://127.0.0.1:${server.address().port}/`);
    assert.equal(res.status, 200);
    assert.match((await res.json()).message, /hello from node-yarn/);
  } finally {
    server.close();
  }
});
