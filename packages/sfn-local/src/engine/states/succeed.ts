import type { JsonValue, SucceedState } from '@saga/asl';
import { applyInputPath, applyOutputPath, evaluateJsonata } from '../../evaluation/index.js';
import type { StateHandler } from '../scope.js';
import { contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

/** A Succeed state: ends its block (the execution, or only its branch) with its input. */
export const executeSucceed: StateHandler<SucceedState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.SucceedStateEntered, name, raw);
  const context = contextFor(scope, name, run.clock.now());
  let output: JsonValue;
  const s = state as { InputPath?: string | null; OutputPath?: string | null; Output?: JsonValue };
  if (languageOf(state, scope) === 'JSONata') {
    output = s.Output === undefined ? raw : await evaluateJsonata(s.Output, jsonataBindings(scope, raw, context), 'Output');
  } else {
    const es = evaluationScope(scope, name, context);
    output = applyOutputPath(applyInputPath(raw, s.InputPath, es), s.OutputPath, es);
  }
  run.history.exited(scope.thread, EVENT.SucceedStateExited, name, output);
  return { kind: 'end', output };
};
