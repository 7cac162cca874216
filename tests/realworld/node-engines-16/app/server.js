const express = require('express');
const morgan = require('morgan');

const app = express();
app.use(morgan('tiny'));

app.get('/', (req, res) => {
  res.send(`legacy api on node ${process.versions.node.split('.')[0]}`);
});

const port = process.env.PORT || 8080;
app.listen(port, () => console.log(`listening on ${port}`));
