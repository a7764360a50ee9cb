import type { FailState, JsonValue } from '@saga/asl';
import { StatesError } from '../../errors.js';
import { evaluateIntrinsic, evaluateJsonata, isJsonataExpression, queryPath } from '../../evaluation/index.js';
import type { StateHandler } from '../scope.js';
import { contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

/** A Fail state: fails its block with Error/Cause (static, from a path or intrinsic, or JSONata). */
export const executeFail: StateHandler<FailState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.FailStateEntered, name, raw);
  const context = contextFor(scope, name, run.clock.now());
  const s = state as { Error?: string; Cause?: string; ErrorPath?: string; CausePath?: string };
  const resolve = async (value: string | undefined, path: string | undefined, field: string): Promise<string | undefined> => {
    let v: JsonValue | undefined = value;
    if (languageOf(state, scope) === 'JSONata' && typeof value === 'string' && isJsonataExpression(value)) {
      v = await evaluateJsonata(value, jsonataBindings(scope, raw, context), field);
    } else if (path !== undefined) {
      const es = evaluationScope(scope, name, context);
      v = path.startsWith('States.') ? evaluateIntrinsic(path, raw, es) : queryPath(path, raw, es);
    }
    if (v === undefined) return undefined;
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
  const error = await resolve(s.Error, s.ErrorPath, 'Error');
  const cause = await resolve(s.Cause, s.CausePath, 'Cause');
  throw new FailStateError(error ?? '', cause);
};

/** The error a Fail state raises: a Parallel or Map fails with it as is. */
export class FailStateError extends StatesError {}
