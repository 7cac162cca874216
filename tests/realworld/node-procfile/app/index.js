const express = require('express');
const path = require('path');

const port = process.env.PORT || 5001;
const app = express();

app.use(express.static(path.join(__dirname, 'public')));

app.get('/', (req, res) => {
  res.type('text/plain').send(`procfile web process on port ${port}\n`);
});

app.get('/times', (req, res) => {
  const n = Number(process.env.TIMES || 5);
  res.type('text/plain').send(Array.from({ length: n }, (_, i) => i).join(' ') + '\n');
});

app.listen(port, () => console.log(`Listening on ${port}`));
