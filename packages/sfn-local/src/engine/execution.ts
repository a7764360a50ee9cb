import { isoTimestamp, type ContextObject } from '../context-object.js';
import type { JsonValue } from '@saga/asl';
import { StatesError, toStatesError } from '../errors.js';
import { runBlock } from './block.js';
import type { ExecutionHandle, ExecutionOptions, ExecutionOutcome } from './execution-types.js';
import type { ExecutionIdentity } from '../integrations/types.js';
import { HistoryWriter } from './history-writer.js';
import type { Run, Scope } from './scope.js';
import { ABORTED, Aborted } from './scope.js';
import { VariableScope } from './variables.js';
import { Cancellation } from './cancellation.js';
import { continuationOrder } from './turns.js';

class ExecutionTimeout extends Error {}

/**
 * Runs one execution of a state machine to its end: history events as they happen, checkpoints
 * at every top-level transition, and `done` with the outcome. It never throws: failures are the
 * outcome `FAILED` (with the error and cause), `TIMED_OUT` or `ABORTED`.
 */
export function runExecution(options: ExecutionOptions): ExecutionHandle {
  const { clock, definition } = options;
  const stop = new Cancellation();
  const history = new HistoryWriter(options.history, clock, options.onEvent);
  // Flat literals: an object literal nesting another is built by the runtime, not copied from its template.
  const executionContext: ContextObject['Execution'] = {
    Id: options.executionArn,
    Input: options.input,
    Name: options.name,
    RoleArn: options.roleArn,
    StartTime: isoTimestamp(options.startTime),
    RedriveCount: 0,
  };
  const identity: ExecutionIdentity = {
    executionArn: options.executionArn,
    executionName: options.name,
    stateMachineArn: options.stateMachineArn,
    region: options.region,
    account: options.account,
  };
  const run: Run = {
    options,
    clock,
    random: options.random,
    history,
    resolve: options.resolve,
    callbacks: options.callbacks,
    executionContext,
    stateMachineContext: stateMachineContextOf(options.stateMachineArn),
    transitions: options.resume?.transitions ?? 0,
    order: continuationOrder(),
    concurrentBlocks: 0,
    identity,
  };
  const thread = { last: options.resume?.lastEventId ?? 0 };
  const vars = new VariableScope();
  if (options.resume) vars.assign(options.resume.variables);
  const scope: Scope = {
    run,
    vars,
    cancel: stop,
    language: definition.QueryLanguage ?? 'JSONPath',
    thread,
    topLevel: true,
    ...(options.onCheckpoint
      ? {
          checkpoint: (c) =>
            options.onCheckpoint!({ ...c, lastEventId: history.lastEventId, transitions: run.transitions, at: clock.now() }),
        }
      : {}),
  };
  let stopped: { error?: string; cause?: string } | undefined;

  if (!options.resume) {
    history.executionStarted(thread, options.input, options.roleArn);
  }
  let timedOut!: (e: ExecutionTimeout) => void;
  const timeout = definition.TimeoutSeconds !== undefined ? new Promise<never>((_, reject) => (timedOut = reject)) : undefined;
  timeout?.catch(() => undefined);
  const cancelTimeout =
    definition.TimeoutSeconds !== undefined
      ? clock.schedule(Math.max(0, options.startTime + definition.TimeoutSeconds * 1000 - clock.now()), () =>
          timedOut(new ExecutionTimeout()),
        )
      : undefined;

  const succeeded = (output: JsonValue): ExecutionOutcome => {
    cancelTimeout?.();
    history.executionSucceeded(thread, output);
    return { status: 'SUCCEEDED', output, stopDate: clock.now() };
  };
  const failed = (thrown: unknown): ExecutionOutcome => {
    cancelTimeout?.();
    if (stopped) {
      history.add(thread, 'ExecutionAborted', { executionAbortedEventDetails: stopped });
      return { status: 'ABORTED', ...stopped, stopDate: clock.now() };
    }
    if (thrown instanceof ExecutionTimeout) {
      stop.abort(ABORTED);
      const details = { error: 'States.Timeout', cause: `The execution exceeded its TimeoutSeconds of ${definition.TimeoutSeconds}` };
      history.add(thread, 'ExecutionTimedOut', { executionTimedOutEventDetails: details });
      return { status: 'TIMED_OUT', ...details, stopDate: clock.now() };
    }
    const error = thrown instanceof Aborted ? new StatesError('States.Runtime', 'aborted') : toStatesError(thrown);
    const details = { ...(error.name ? { error: error.name } : {}), ...(error.cause !== undefined ? { cause: error.cause } : {}) };
    history.add(thread, 'ExecutionFailed', { executionFailedEventDetails: details });
    return { status: 'FAILED', ...details, stopDate: clock.now() };
  };
  // Plain promises rather than an async function: a waiting execution holds one frame fewer.
  const body = runBlock(definition, options.input, scope, options.resume);
  const done = (timeout ? Promise.race([body, timeout]) : body).then(succeeded, failed);

  return {
    executionArn: options.executionArn,
    clock,
    done,
    stop(error?: string, cause?: string) {
      if (stopped) return;
      stopped = { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
      stop.abort(ABORTED);
    },
  };
}

/**
 * `$$.StateMachine`: the same for every execution of a machine, so one frozen object is shared
 * (remembered for the last machine asked about).
 */
function stateMachineContextOf(arn: string): ContextObject['StateMachine'] {
  if (arn !== lastArn) {
    lastArn = arn;
    lastContext = Object.freeze({ Id: arn, Name: arn.slice(arn.lastIndexOf(':') + 1) });
  }
  return lastContext;
}
let lastArn = '';
let lastContext: ContextObject['StateMachine'] = Object.freeze({ Id: '', Name: '' });
