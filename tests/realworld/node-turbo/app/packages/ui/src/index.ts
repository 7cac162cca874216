export const button = (label: string): string => `<button class="btn">${label}</button>`;
