import type { ChoiceState, JsonataChoiceRule, JsonPathChoiceRule, JsonValue } from '@saga/asl';
import { StatesError } from '../../errors.js';
import {
  applyInputPath,
  applyOutputPath,
  evaluateChoiceRule,
  evaluateJsonata,
  evaluatePayloadTemplate,
} from '../../evaluation/index.js';
import { commitAssignments } from '../io.js';
import type { StateHandler } from '../scope.js';
import { contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

/**
 * A Choice state: the first rule that matches gives `Next` (and, for JSONata, its Output/Assign);
 * else `Default`; else `States.NoChoiceMatched`.
 */
export const executeChoice: StateHandler<ChoiceState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.ChoiceStateEntered, name, raw);
  const context = contextFor(scope, name, run.clock.now());
  let next: string | undefined;
  let output: JsonValue;
  let assigned: Record<string, JsonValue> | undefined;

  if (languageOf(state, scope) === 'JSONata') {
    const bindings = jsonataBindings(scope, raw, context);
    let rule: JsonataChoiceRule | undefined;
    for (const r of state.Choices as readonly JsonataChoiceRule[]) {
      const condition = typeof r.Condition === 'boolean' ? r.Condition : await evaluateJsonata(r.Condition, bindings, 'Condition');
      if (typeof condition !== 'boolean') {
        throw new StatesError('States.QueryEvaluationError', `The Condition of a rule of '${name}' did not return a boolean`);
      }
      if (condition) {
        rule = r;
        break;
      }
    }
    const source = rule ?? (state as { Output?: JsonValue; Assign?: Record<string, JsonValue> });
    next = rule ? rule.Next : state.Default;
    output = source.Output === undefined ? raw : await evaluateJsonata(source.Output, bindings, 'Output');
    assigned = source.Assign === undefined ? undefined : ((await evaluateJsonata(source.Assign, bindings, 'Assign')) as Record<string, JsonValue>);
  } else {
    const es = evaluationScope(scope, name, context);
    const s = state as { InputPath?: string | null; OutputPath?: string | null; Assign?: Record<string, JsonValue> };
    const input = applyInputPath(raw, s.InputPath, es);
    const rule = (state.Choices as readonly JsonPathChoiceRule[]).find((r) => evaluateChoiceRule(r, input, es));
    next = rule ? rule.Next : state.Default;
    const assign = rule ? rule.Assign : s.Assign;
    assigned = assign === undefined ? undefined : (evaluatePayloadTemplate(assign as JsonValue, input, es) as Record<string, JsonValue>);
    output = applyOutputPath(input, s.OutputPath, es);
  }

  if (next === undefined) {
    throw new StatesError('States.NoChoiceMatched', `No Choice Rule matched and no Default is specified in the Choice state '${name}'.`);
  }
  const assignedVariables = commitAssignments(scope, assigned);
  run.history.exited(scope.thread, EVENT.ChoiceStateExited, name, output, assignedVariables);
  return { kind: 'next', next, output };
};
