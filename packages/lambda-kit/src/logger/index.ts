export type { Logger } from '@aws-lambda-powertools/logger';
export { createLogger, PERSONAL_DATA_KEYS, piiSafeReplacer, REDACTED } from './create-logger.js';
export { createStepHandler, type HandlerLogger, type StepHandler, type StepHandlerOptions } from './step-handler.js';
export { type RecordedLog, type RecordingLogger, recordingLogger, silentLogger, type StepLogger } from './step-logger.js';
