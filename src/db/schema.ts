export * from './tables/hazards.js';
export * from './tables/messaging.js';
export * from './tables/org.js';
export * from './tables/receipts.js';
export * from './tables/schedule.js';
