// HEALTHCHECK probe for the distroless image (no shell, no curl): exit 0 when /healthz is 200.
const port = Number(process.env.PORT ?? 8080);
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
