import { writeFileSync, mkdirSync } from "node:fs"; mkdirSync("public", { recursive: true }); writeFileSync("public/index.html", "<p>built</p>");
