import { z } from "zod";
console.log(z.string().parse("hello"));
