export { dispatchSqs, isSqsTarget, sqsRoutes, SQS_TARGET_PREFIX } from './dispatch.js';
export { SqsApiError, sqsErrorResponse, sqsErrors } from './errors.js';
export { findQueue, queuePath, type SqsContext } from './queues.js';
