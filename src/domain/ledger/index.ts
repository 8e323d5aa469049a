export * from './groups.js';
export * from './history.js';
export * from './labels.js';
export * from './monthly.js';
export * from './monthly-text.js';
export * from './period.js';
export * from './types.js';
