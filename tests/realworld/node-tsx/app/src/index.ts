import express, { type Request, type Response } from "express";

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.get("/", (_req: Request, res: Response) => {
  res.json({ message: "hello from tsx" });
});

app.listen(port, () => {
  console.log(`listening on http://localhost:${port}`);
});
