// Starts the API on $PORT (default 3000) and stops cleanly on SIGTERM: node runs as PID 1.
const app = require("./app");

const port = Number(process.env.PORT || 3000);
const server = app.listen(port, () => console.log(`node-express listening on :${port}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
