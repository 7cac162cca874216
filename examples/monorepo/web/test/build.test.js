const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");

test("the build script exists", () => {
  assert.ok(fs.existsSync(require("node:path").join(__dirname, "..", "build.js")));
});
