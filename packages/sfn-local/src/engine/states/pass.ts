import type { JsonValue, PassState } from '@saga/asl';
import { commitAssignments, effectiveInput, stateOutput } from '../io.js';
import type { StateHandler } from '../scope.js';
import { contextFor, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

/** A Pass state: its result is `Result`, or its effective input (Parameters/InputPath applied). */
export const executePass: StateHandler<PassState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.PassStateEntered, name, raw);
  const context = contextFor(scope, name, run.clock.now());
  let result: JsonValue;
  if (languageOf(state, scope) === 'JSONata') {
    result = raw;
  } else {
    const s = state as { Result?: JsonValue };
    result = s.Result !== undefined ? s.Result : await effectiveInput(state, name, raw, scope, context);
  }
  const { output, assigned } = await stateOutput(
    state,
    name,
    raw,
    result,
    scope,
    context,
    languageOf(state, scope) === 'JSONata' ? 'passthrough' : 'result',
  );
  const assignedVariables = commitAssignments(scope, assigned);
  run.history.exited(scope.thread, EVENT.PassStateExited, name, output, assignedVariables);
  return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
};
