// Serves the built dist/index.html on :3000 (GET /healthz answers ok).
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const page = fs.readFileSync(path.join(__dirname, "..", "dist", "index.html"));
http
  .createServer((req, res) => {
    if (req.url === "/healthz") {
      res.end("ok\n");
      return;
    }
    res.setHeader("Content-Type", "text/html");
    res.end(page);
  })
  .listen(3000);
