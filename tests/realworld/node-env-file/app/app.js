const http = require('node:http');

const port = Number(process.env.PORT);
const greeting = process.env.GREETING;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(`${greeting}\n`);
});

server.listen(port, () => {
  console.log(`Server running on port ${port}`);
});
