require("http").createServer((q, r) => r.end(process.env.APP_STAGE)).listen(3000);
