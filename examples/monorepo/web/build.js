// The frontend's build: writes dist/index.html.
const fs = require("node:fs");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/index.html", "<!doctype html><title>web</title><p>hello from web (monorepo)</p>\n");
