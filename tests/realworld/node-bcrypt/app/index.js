const express = require('express');
const bcrypt = require('bcrypt');

const saltRounds = 10;
const hash = bcrypt.hashSync('s3cret', saltRounds);

const app = express();

app.get('/', async (req, res) => {
  const ok = await bcrypt.compare('s3cret', hash);
  res.send(ok ? 'bcrypt verified the password' : 'bcrypt mismatch');
});

app.listen(3000, () => console.log('listening on 3000'));
