const { test } = require("node:test");
const assert = require("node:assert/strict");
const { greet } = require("@mono/shared");

test("the workspace dependency is built and linked", () => {
  assert.match(greet(), /hello from shared 1m/);
});
