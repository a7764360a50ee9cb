import { createHandler, defaultDeps } from './lambda.js';

/** The Lambda entry point (`handler.handler`). Clients and config are created once per cold start. */
export const handler = createHandler(defaultDeps());
