import express from 'express';
import { greeting } from '@nx-ws/greeting';

const host = process.env.HOST ?? 'localhost';
const port = process.env.PORT ? Number(process.env.PORT) : 3000;

const app = express();

app.get('/', (req, res) => {
  res.send({ message: 'Hello API', greeting: greeting() });
});

app.listen(port, host, () => {
  console.log(`[ ready ] http://${host}:${port}`);
});
