require("http").createServer((q, r) => r.end(process.env.GREETING)).listen(Number(process.env.PORT));
