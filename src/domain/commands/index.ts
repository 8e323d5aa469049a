export * from './catalog.js';
export * from './keywords.js';
export * from './parse.js';
export * from './to-hazard-command.js';
