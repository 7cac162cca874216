import { buildApp } from "./app.js";

const port = Number(process.env.PORT ?? 8080);
const app = buildApp();
await app.listen({ port, host: "0.0.0.0" });
console.log(`node-typescript listening on :${port}`);

// node runs as PID 1: stop cleanly on the engine's SIGTERM
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => void app.close().then(() => process.exit(0)));
}
