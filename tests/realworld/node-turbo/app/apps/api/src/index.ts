import express from "express";
import { add } from "@repo/math";

const app = express();
const port = Number(process.env.PORT ?? 3001);

app.get("/", (_req, res) => {
  res.json({ message: "api says 2 + 3 =", result: add(2, 3) });
});

app.listen(port, () => {
  console.log(`api running on ${port}`);
});
