export * from './definition/json.js';
export * from './definition/errors.js';
export * from './definition/paths.js';
export * from './definition/states.js';
