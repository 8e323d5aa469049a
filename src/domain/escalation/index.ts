export * from './hazard-clock.js';
export * from './ladder.js';
