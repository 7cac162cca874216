const express = require('express');
const compression = require('compression');

const app = express();
app.use(compression());

app.get('/', (req, res) => {
  res.send('hello from yarn 3');
});

app.listen(process.env.PORT || 3000, () => console.log('listening'));
