const express = require('express');
const { greet } = require('@acme/greeter');

const app = express();

app.get('/', (req, res) => {
  res.send(greet('workspace root'));
});

app.listen(process.env.PORT || 3000);
