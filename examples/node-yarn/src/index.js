// Starts the app on $PORT (default 3000); node is PID 1, so it handles SIGTERM itself.
const { createApp } = require("./app");

const port = Number(process.env.PORT || 3000);
const server = createApp().listen(port, () => console.log(`node-yarn listening on :${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
