export * from './card.js';
export * from './inbound.js';
export * from './outbound.js';
export * from './platform.js';
