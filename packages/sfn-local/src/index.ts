/**
 * @saga/sfn-local: a local Step Functions engine.
 * In-process: `localStateMachine()`. As a server: `startSfnLocal()` / `npx sfn-local`.
 */
export {
  InvalidExecutionInputError,
  localStateMachine,
  type LocalExecution,
  type LocalStateMachine,
  type LocalStateMachineOptions,
} from './local-machine.js';
export { runExecution } from './engine/execution.js';
export type { Checkpoint, ExecutionHandle, ExecutionOptions, ExecutionOutcome, ExecutionStatus } from './engine/execution-types.js';
export { CallbackApiError, CallbackRegistry, type CallbackWaiter } from './engine/callbacks.js';
export { createRealClock, createVirtualClock, type ClockMode, type ExecutionClock } from './clock.js';
export { randomUuid, seededRandom, type Random } from './random.js';
export { runtimeError, StatesError, toStatesError } from './errors.js';
export type { HistoryEvent, HistoryEventType } from './history.js';
export type { ContextObject } from './context-object.js';
export * from './integrations/index.js';
export { SfnService, type SfnServiceOptions } from './service.js';
export { SfnApiError } from './service/errors.js';
export { startSfnLocal, type SfnLocal, type SfnLocalOptions } from './server.js';
export { Journal } from './store/journal.js';
export { createSfnRequestListener } from './api/index.js';
export { SqsApiError } from './api/sqs/index.js';
