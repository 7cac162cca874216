import http from "node:http"; http.createServer((_q, r) => r.end("hi")).listen(3000);
