export const greeting = () => 'hello';
