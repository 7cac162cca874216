require("http").createServer((q, r) => r.end("hi")).listen(Number(process.env.PORT), process.env.HOST);
