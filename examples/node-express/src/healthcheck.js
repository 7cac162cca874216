// HEALTHCHECK probe: exits 0 when GET /healthz answers 200 (slim images have no curl).
const port = Number(process.env.PORT || 3000);
fetch(`http://127.0.0.1:${port}/healthz`)
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
