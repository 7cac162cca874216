export * from './lib/greeting.js';
