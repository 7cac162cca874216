// A background process: the Procfile's `worker:` line. It is not the image's command while a
// `web:` line exists.
setInterval(() => console.log('worker: tick'), 60_000);
