export * from './saga-props.js';
export * from './saga.js';
