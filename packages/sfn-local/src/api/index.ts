export { createSfnRequestListener, toJson, DEFAULT_MAX_BODY_BYTES, type SfnHttpOptions } from './http.js';
export { routes, unsupportedOperations } from './routes.js';
