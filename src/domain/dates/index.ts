export * from './deadline.js';
export * from './numerals.js';
export * from './tz.js';
