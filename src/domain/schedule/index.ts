export * from './card-template.js';
export * from './config.js';
export * from './programme.js';
export * from './quiet-hours.js';
export * from './slots.js';
export * from './topics.js';
