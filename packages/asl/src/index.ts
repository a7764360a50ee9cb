export * from './definition/json.js';
export * from './definition/errors.js';
export * from './definition/paths.js';
export * from './definition/states.js';
export * from './validate/index.js';
export * from './builder/index.js';
export * from './saga/index.js';
export * from './render/mermaid.js';
