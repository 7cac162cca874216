export const add = (a: number, b: number): number => a + b;
export const subtract = (a: number, b: number): number => a - b;
