import type { PayloadValue } from '../../definition/states.js';
import type { Field, JsonPathInvocation, OptionalField } from './invocation.js';
import { jsonPathInvocation } from './invocation.js';

export type StartExecutionParameters = Field<'StateMachineArn', string> &
  OptionalField<'Input', PayloadValue> &
  OptionalField<'Name', string>;

/**
 * Starts a child execution and waits for it (`.sync:2`: the child's output arrives as parsed JSON).
 * A failed or timed-out child surfaces as `States.TaskFailed`.
 */
export function startExecutionSync(parameters: StartExecutionParameters): JsonPathInvocation {
  return jsonPathInvocation('states', 'startExecution', parameters, 'sync:2');
}

/** Starts a child execution without waiting for it. */
export function startExecution(parameters: StartExecutionParameters): JsonPathInvocation {
  return jsonPathInvocation('states', 'startExecution', parameters);
}
