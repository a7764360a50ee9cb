import type { JsonValue, WaitState } from '@saga/asl';
import { runtimeError } from '../../errors.js';
import { applyInputPath, applyOutputPath, evaluateJsonata, evaluatePayloadTemplate, queryPath } from '../../evaluation/index.js';
import { sleepUnlessCancelled } from '../cancellation.js';
import { commitAssignments } from '../io.js';
import type { StateHandler } from '../scope.js';
import { ABORTED, contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

/** AWS rejects waits beyond 2^31 seconds at run time ("Wait state delay is too long"). */
const MAX_WAIT_SECONDS = 2 ** 31 - 1;

/** A Wait state: sleeps on the execution's clock (virtual time: the clock simply jumps). */
export const executeWait: StateHandler<WaitState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.WaitStateEntered, name, raw);
  const context = contextFor(scope, name, run.clock.now());
  const s = state as {
    Seconds?: number | string;
    Timestamp?: string;
    SecondsPath?: string;
    TimestampPath?: string;
    InputPath?: string | null;
    OutputPath?: string | null;
    Output?: JsonValue;
    Assign?: Record<string, JsonValue>;
  };
  const jsonata = languageOf(state, scope) === 'JSONata';
  const es = evaluationScope(scope, name, context);
  const input = jsonata ? raw : applyInputPath(raw, s.InputPath, es);
  const bindings = jsonataBindings(scope, raw, context);

  let seconds: JsonValue | undefined = s.Seconds;
  let timestamp: JsonValue | undefined = s.Timestamp;
  if (jsonata) {
    if (typeof seconds === 'string') seconds = await evaluateJsonata(seconds, bindings, 'Seconds');
    if (typeof timestamp === 'string') timestamp = await evaluateJsonata(timestamp, bindings, 'Timestamp');
  } else {
    if (s.SecondsPath !== undefined) seconds = queryPath(s.SecondsPath, input, es);
    if (s.TimestampPath !== undefined) timestamp = queryPath(s.TimestampPath, input, es);
  }

  let delayMs: number;
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds)) {
      throw runtimeError(name, `The SecondsPath parameter value ${JSON.stringify(seconds)} cannot be parsed as a long value.`);
    }
    if (seconds < 0) throw runtimeError(name, 'The SecondsPath parameter references a negative value.');
    delayMs = seconds * 1000;
  } else {
    const at = typeof timestamp === 'string' ? parseTimestamp(timestamp) : NaN;
    if (Number.isNaN(at)) {
      throw runtimeError(
        name,
        `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${JSON.stringify(timestamp)}`,
      );
    }
    delayMs = Math.max(0, at - run.clock.now());
  }
  if (delayMs / 1000 > MAX_WAIT_SECONDS) throw runtimeError(name, 'Wait state delay is too long.');

  try {
    await sleepUnlessCancelled(run, delayMs, scope.cancel);
  } catch {
    run.history.addDetailless(scope.thread, EVENT.WaitStateAborted);
    throw ABORTED;
  }

  let output: JsonValue;
  let assigned: Record<string, JsonValue> | undefined;
  if (jsonata) {
    output = s.Output === undefined ? raw : await evaluateJsonata(s.Output, bindings, 'Output');
    assigned = s.Assign === undefined ? undefined : ((await evaluateJsonata(s.Assign, bindings, 'Assign')) as Record<string, JsonValue>);
  } else {
    assigned = s.Assign === undefined ? undefined : (evaluatePayloadTemplate(s.Assign as JsonValue, input, es) as Record<string, JsonValue>);
    output = applyOutputPath(input, s.OutputPath, es);
  }
  const assignedVariables = commitAssignments(scope, assigned);
  run.history.exited(scope.thread, EVENT.WaitStateExited, name, output, assignedVariables);
  return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
};

/** RFC 3339 with a zone (`Z` or an offset); milliseconds are truncated, as AWS does. */
function parseTimestamp(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return NaN;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 1000) * 1000;
}
