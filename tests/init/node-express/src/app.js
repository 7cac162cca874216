// The Express app: routes only, so the tests can drive it without a port.
const express = require("express");

const app = express();

app.get("/", (req, res) => {
  res.json({ message: "hello from node-express", node: process.version, env: process.env.NODE_ENV });
});

app.get("/healthz", (req, res) => res.send("ok"));

module.exports = app;
