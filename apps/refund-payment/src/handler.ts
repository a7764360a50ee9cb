import { createHandler, defaultDeps } from './lambda.js';

/** The Lambda entry point (`handler.handler`); clients and configuration are set up at cold start. */
export const handler = createHandler(defaultDeps());
