import { app } from "./app";

// Bun serves a default export's `fetch` on $PORT, else 3000.
export default {
  port: Number(process.env.PORT ?? 3000),
  fetch: app.fetch,
};
