const http = require('http');
const { createCanvas } = require('canvas');

http.createServer((req, res) => {
  const canvas = createCanvas(200, 40);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#222';
  ctx.fillRect(0, 0, 200, 40);
  ctx.fillStyle = '#fff';
  ctx.font = '20px sans-serif';
  ctx.fillText('badge', 10, 28);
  const png = canvas.toBuffer('image/png');
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`canvas drew a ${canvas.width}x${canvas.height} badge (${png.length > 0 ? 'png ok' : 'empty'})\n`);
}).listen(3000, () => console.log('listening on 3000'));
