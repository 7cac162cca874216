import http from 'node:http';
import sharp from 'sharp';

const server = http.createServer(async (req, res) => {
  const png = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: 255, g: 99, b: 71 } },
  }).png().toBuffer();
  const meta = await sharp(png).metadata();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`sharp made a ${meta.width}x${meta.height} ${meta.format}\n`);
});

server.listen(3000, () => console.log('listening on 3000'));
