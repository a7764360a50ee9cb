import { createHandler, defaultDeps } from './create-handler.js';

/** Lambda entry (`handler.handler`). Configuration and the Bedrock client are built once, at cold start. */
export const handler = createHandler(defaultDeps());
