export * from './dynamo.js';
export * from './stripe-server.js';
export * from './carrier-stub.js';
export * from './bedrock-stub.js';
export * from './orders.js';
export * from './malformed-orders.js';
export * from './lambda-bundle.js';
