export * from './civil-date.js';
export * from './national.js';
export * from './schema.js';
export * from './school-calendar.js';
export * from './zoned.js';
