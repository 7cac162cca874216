import { Elysia } from "elysia";

new Elysia().get("/", () => "hi").listen(8080);
