const express = require("express");
const { greet } = require("@site/greeter");
express().get("/", (_, res) => res.send(greet())).listen(process.env.PORT || 3000);
