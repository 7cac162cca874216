import { test, expect } from "bun:test";
test("one", () => expect(1).toBe(1));
