import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

const port: number = Number(process.env.PORT ?? 3000);

function handle(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(`typescript without a build, node ${process.versions.node}\n`);
}

createServer(handle).listen(port, () => {
  console.log(`listening on ${port}`);
});
