export * from './analysis.js';
export * from './error-info.js';
export * from './errors.js';
export * from './events.js';
export * from './order.js';
export * from './review.js';
export * from './saga-steps.js';
export * from './steps.js';
