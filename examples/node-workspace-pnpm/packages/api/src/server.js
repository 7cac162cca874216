// The API of the workspace: uses the workspace package @mono/shared (built to its dist/) and
// the npm package bytes. Listens on $PORT (default 3000); node is PID 1 and handles SIGTERM.
const http = require("http");
const { greet } = require("@mono/shared");
const bytes = require("bytes");

const port = Number(process.env.PORT || 3000);
const server = http
  .createServer((req, res) => res.end(`${greet()} via node-workspace-pnpm, ${bytes(1024)}\n`))
  .listen(port, () => console.log(`api listening on :${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
