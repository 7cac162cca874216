require("http").createServer((q, r) => r.end("hi")).listen(3000);
