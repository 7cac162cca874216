const http = require("http");
const { greet } = require("@mono/shared");
const bytes = require("bytes");
http.createServer((req, res) => res.end(greet() + " " + bytes(1024) + "\n")).listen(process.env.PORT || 3000);
