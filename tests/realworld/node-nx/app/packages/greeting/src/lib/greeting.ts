export function greeting(): string {
  return 'greeting';
}
