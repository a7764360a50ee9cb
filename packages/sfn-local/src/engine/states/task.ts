import type { Catcher, JsonValue, TaskState } from '@saga/asl';
import { runtimeError, StatesError, toStatesError } from '../../errors.js';
import { evaluateJsonata, isJsonataExpression, queryPath } from '../../evaluation/index.js';
import { parseResource } from '../../integrations/resource.js';
import type { ParsedResource, TaskInvocation } from '../../integrations/types.js';
import { isCompletedCallback } from '../../integrations/types.js';
import { randomUuid } from '../../random.js';
import type { Checkpoint } from '../execution-types.js';
import { findCatcher, findRetrier, DEFAULT_MAX_ATTEMPTS, retryDelayMs } from '../errors-matching.js';
import { catcherOutput, commitAssignments, effectiveInput, stateOutput } from '../io.js';
import type { Scope, StateHandler } from '../scope.js';
import { ABORTED, Aborted, contextFor, evaluationScope, jsonataBindings, languageOf, historyText } from '../scope.js';

type Waiting = NonNullable<Checkpoint['waitingForCallback']>;

/** A timeout raised by this engine; `heartbeat` marks a missed heartbeat (AWS names both States.Timeout). */
class TaskTimeout extends StatesError {
  constructor(readonly heartbeat: boolean) {
    super('States.Timeout', heartbeat ? 'The task missed its heartbeat' : undefined);
  }
}

/**
 * A Task state: invoke the integration (with TimeoutSeconds and, for callbacks, HeartbeatSeconds),
 * wait for the task token where the resource says `.waitForTaskToken`, then Retry (first matching
 * retrier, one counter per retrier) and Catch as AWS does.
 */
export const executeTask: StateHandler<TaskState> = async (name, state, raw, scope, resume) => {
  const { run } = scope;
  const enteredTime = resume?.enteredTime ?? run.clock.now();
  if (!resume) run.history.add(scope.thread, 'TaskStateEntered', { stateEnteredEventDetails: { name, input: historyText(raw) } });
  const language = languageOf(state, scope);
  const parsed = parseResource(state.Resource);
  const callback = (parsed.kind === 'integration' || parsed.kind === 'aws-sdk') && parsed.pattern === 'waitForTaskToken';
  const retryCounts = resume?.retryCounts ?? new Array<number>(state.Retry?.length ?? 0).fill(0);
  let attempt = resume?.attempt ?? 0;
  let retryDelay: number | undefined;
  let resuming: Waiting | undefined = resume;

  for (;;) {
    const taskToken = resuming?.taskToken ?? (callback ? newTaskToken(scope) : undefined);
    const context = contextFor(scope, name, enteredTime, { retryCount: attempt, ...(taskToken ? { taskToken } : {}) });
    try {
      let result: JsonValue;
      if (resuming) {
        const r = resuming;
        resuming = undefined;
        result = await attemptTask(name, state, parsed, r.effectiveInput, scope, {
          attempt,
          taskToken: r.taskToken,
          resumed: r,
          enteredTime,
          rawInput: raw,
          retryCounts,
        });
      } else {
        const pendingInput = effectiveInput(state, name, raw, scope, context);
        const input = pendingInput instanceof Promise ? await pendingInput : pendingInput;
        const timeouts = staticTimeouts(state) ?? (await resolveTimeouts(state, name, raw, scope, context));
        result = await attemptTask(name, state, parsed, input, scope, {
          attempt,
          ...(taskToken ? { taskToken } : {}),
          ...timeouts,
          ...(retryDelay !== undefined ? { retryDelay } : {}),
          enteredTime,
          rawInput: raw,
          retryCounts,
        });
      }
      const pendingOutput = stateOutput(state, name, raw, result, scope, context);
      const { output, assigned } = pendingOutput instanceof Promise ? await pendingOutput : pendingOutput;
      const assignedVariables = commitAssignments(scope, assigned);
      run.history.add(scope.thread, 'TaskStateExited', {
        stateExitedEventDetails: { name, output: historyText(output), ...(assignedVariables ? { assignedVariables } : {}) },
      });
      return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
    } catch (thrown) {
      if (thrown instanceof Aborted || scope.signal.aborted) {
        run.history.add(scope.thread, 'TaskStateAborted', {});
        throw ABORTED;
      }
      const error = toStatesError(thrown);
      const r = findRetrier(state.Retry, error);
      if (r >= 0) {
        const retrier = state.Retry![r]!;
        if (retryCounts[r]! < (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
          retryCounts[r]!++;
          retryDelay = retryDelayMs(retrier, retryCounts[r]!, run.random);
          run.transitions++;
          try {
            await run.clock.sleep(retryDelay, scope.signal);
          } catch {
            run.history.add(scope.thread, 'TaskStateAborted', {});
            throw ABORTED;
          }
          attempt++;
          continue;
        }
      }
      const catcher = findCatcher<Catcher>(state.Catch as readonly Catcher[] | undefined, error);
      if (!catcher) throw error;
      const { output, assigned } = await catcherOutput(catcher, language, name, raw, error.toErrorOutput(), scope, context);
      const assignedVariables = commitAssignments(scope, assigned);
      run.history.add(scope.thread, 'TaskStateExited', {
        stateExitedEventDetails: { name, output: historyText(output), ...(assignedVariables ? { assignedVariables } : {}) },
      });
      return { kind: 'next', next: catcher.Next, output };
    }
  }
};

interface AttemptOptions {
  attempt: number;
  taskToken?: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  retryDelay?: number;
  /** Resume the wait for a callback after a restart: nothing is scheduled or sent again. */
  resumed?: Waiting;
  enteredTime: number;
  rawInput: JsonValue;
  retryCounts: number[];
}

/** One attempt: schedule, invoke, wait for the token if a callback, each bounded by its timers. */
async function attemptTask(
  name: string,
  state: TaskState,
  parsed: ParsedResource,
  input: JsonValue,
  scope: Scope,
  o: AttemptOptions,
): Promise<JsonValue> {
  const { run } = scope;
  const { clock } = run;
  const lambdaArn = parsed.kind === 'lambda-function';
  const { resourceType, resource } = eventResource(parsed, state.Resource);
  const timeoutSeconds = o.resumed ? undefined : o.timeoutSeconds;
  const heartbeatSeconds = o.resumed ? o.resumed.heartbeatSeconds : o.heartbeatSeconds;
  const extra = o.retryDelay !== undefined ? { retryDelayMs: o.retryDelay } : undefined;

  if (!o.resumed) {
    if (lambdaArn) {
      run.history.add(
        scope.thread,
        'LambdaFunctionScheduled',
        {
          lambdaFunctionScheduledEventDetails: {
            resource: state.Resource,
            input: historyText(input),
            ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
          },
        },
        extra,
      );
      run.history.add(scope.thread, 'LambdaFunctionStarted', {});
    } else {
      run.history.add(
        scope.thread,
        'TaskScheduled',
        {
          taskScheduledEventDetails: {
            resourceType,
            resource,
            region: run.options.region,
            parameters: historyText(input),
            ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
            ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
          },
        },
        extra,
      );
      run.history.add(scope.thread, 'TaskStarted', { taskStartedEventDetails: { resourceType, resource } });
    }
  }

  // One interruption ends the attempt early: TimeoutSeconds from the start, HeartbeatSeconds
  // between heartbeats of a callback, or the parent aborting (StopExecution, a failed sibling).
  let interrupt: ((reason: unknown) => void) | undefined;
  let pendingInterruption: unknown;
  const interruptWith = (reason: unknown) => {
    if (interrupt) interrupt(reason);
    else pendingInterruption ??= reason;
  };
  const onParentAbort = () => interruptWith(ABORTED);
  scope.signal.addEventListener('abort', onParentAbort, { once: true });
  const timeoutAt = o.resumed?.timeoutAt ?? (timeoutSeconds !== undefined ? clock.now() + timeoutSeconds * 1000 : undefined);
  const cancelTimeout =
    timeoutAt !== undefined ? clock.schedule(Math.max(0, timeoutAt - clock.now()), () => interruptWith(new TaskTimeout(false))) : undefined;
  let cancelHeartbeat: (() => void) | undefined;
  const armHeartbeat = () => {
    if (heartbeatSeconds === undefined) return;
    cancelHeartbeat?.();
    cancelHeartbeat = clock.schedule(heartbeatSeconds * 1000, () => interruptWith(new TaskTimeout(true)));
  };

  let unregister: (() => void) | undefined;
  let tokenAnswer: Promise<JsonValue> | undefined;
  if (o.taskToken) {
    tokenAnswer = new Promise<JsonValue>((resolve, reject) => {
      unregister = run.callbacks.register(o.taskToken!, { succeed: resolve, fail: reject, heartbeat: armHeartbeat });
    });
    tokenAnswer.catch(() => undefined);
  }

  // The signal the integration sees, created on first read (most never read it); aborted only
  // when the attempt is interrupted or fails.
  let abort: AbortController | undefined;
  const signal = () => (abort ??= new AbortController()).signal;
  const invocation: TaskInvocation = {
    resource: state.Resource,
    parsed,
    input,
    stateName: name,
    attempt: o.attempt,
    execution: run.identity,
    ...(o.taskToken ? { taskToken: o.taskToken } : {}),
    get signal() {
      return signal();
    },
    abandonedByCaller: true,
    sleep: (ms) => clock.idleSleep(ms, signal()),
    now: () => clock.now(),
  };

  const work = async (): Promise<JsonValue> => {
    if (!o.resumed) {
      const pending = run.resolve(invocation);
      if (!pending) throw runtimeError(name, `No integration handles the resource '${state.Resource}'.`);
      const response = await pending;
      if (!o.taskToken) return response;
      if (isCompletedCallback(response)) return response.output;
      run.history.add(scope.thread, 'TaskSubmitted', {
        taskSubmittedEventDetails: { resourceType, resource, output: historyText(response) },
      });
    }
    armHeartbeat();
    if (scope.topLevel && scope.checkpoint) {
      scope.checkpoint({
        stateName: name,
        input: o.rawInput,
        variables: scope.vars.ownValues(),
        waitingForCallback: {
          taskToken: o.taskToken!,
          effectiveInput: input,
          attempt: o.attempt,
          retryCounts: [...o.retryCounts],
          enteredTime: o.enteredTime,
          ...(timeoutAt !== undefined ? { timeoutAt } : {}),
          ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
        },
      });
    }
    return tokenAnswer!;
  };

  let ok = false;
  try {
    // Wait for the work or an interruption, whichever comes first. Time stands still (virtual
    // clock) while the work is in flight, and no longer once the attempt stops waiting for it.
    const pending = o.resumed || o.taskToken ? work() : run.resolve(invocation);
    if (!pending) throw runtimeError(name, `No integration handles the resource '${state.Resource}'.`);
    const release = clock.hold();
    const result = await new Promise<JsonValue>((resolve, reject) => {
      interrupt = (reason) => {
        release();
        reject(reason);
      };
      if (pendingInterruption !== undefined) interrupt(pendingInterruption);
      pending.then(
        (value) => {
          release();
          resolve(value);
        },
        (error: unknown) => {
          release();
          reject(error);
        },
      );
    });
    ok = true;
    if (lambdaArn) {
      run.history.add(scope.thread, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: historyText(result) } });
    } else {
      run.history.add(scope.thread, 'TaskSucceeded', {
        taskSucceededEventDetails: { resourceType, resource, output: historyText(result) },
      });
    }
    return result;
  } catch (thrown) {
    if (scope.signal.aborted) throw ABORTED;
    const error = thrown instanceof TaskTimeout ? thrown : toStatesError(thrown);
    const details = { ...(error.name ? { error: error.name } : {}), ...(error.cause !== undefined ? { cause: error.cause } : {}) };
    if (thrown instanceof TaskTimeout) {
      if (lambdaArn) run.history.add(scope.thread, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: details });
      else run.history.add(scope.thread, 'TaskTimedOut', { taskTimedOutEventDetails: { resourceType, resource, ...details } });
    } else if (lambdaArn) {
      run.history.add(scope.thread, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: details });
    } else {
      run.history.add(scope.thread, 'TaskFailed', { taskFailedEventDetails: { resourceType, resource, ...details } });
    }
    throw error;
  } finally {
    // An interrupted or failed attempt cancels the work behind it; its timers and token end either way.
    if (!ok) abort?.abort(ABORTED);
    cancelTimeout?.();
    cancelHeartbeat?.();
    unregister?.();
    scope.signal.removeEventListener('abort', onParentAbort);
  }
}

const NO_TIMEOUTS = Object.freeze({});

/** The timeouts when both are absent or plain numbers (the common case), without a promise. */
function staticTimeouts(state: TaskState): { timeoutSeconds?: number; heartbeatSeconds?: number } | undefined {
  const s = state as { TimeoutSeconds?: unknown; HeartbeatSeconds?: unknown; TimeoutSecondsPath?: unknown; HeartbeatSecondsPath?: unknown };
  if (s.TimeoutSecondsPath !== undefined || s.HeartbeatSecondsPath !== undefined) return undefined;
  const t = s.TimeoutSeconds;
  const h = s.HeartbeatSeconds;
  if ((t !== undefined && typeof t !== 'number') || (h !== undefined && typeof h !== 'number')) return undefined;
  if (t === undefined && h === undefined) return NO_TIMEOUTS;
  return { ...(t !== undefined ? { timeoutSeconds: t } : {}), ...(h !== undefined ? { heartbeatSeconds: h } : {}) };
}

/** TimeoutSeconds/HeartbeatSeconds, static, from a path, or from a JSONata expression. */
async function resolveTimeouts(
  state: TaskState,
  name: string,
  raw: JsonValue,
  scope: Scope,
  context: ReturnType<typeof contextFor>,
): Promise<{ timeoutSeconds?: number; heartbeatSeconds?: number }> {
  const s = state as {
    TimeoutSeconds?: number | string;
    TimeoutSecondsPath?: string;
    HeartbeatSeconds?: number | string;
    HeartbeatSecondsPath?: string;
  };
  const resolveOne = async (value: number | string | undefined, path: string | undefined, field: string) => {
    let v: JsonValue | undefined = value;
    if (typeof value === 'string' && isJsonataExpression(value)) {
      v = await evaluateJsonata(value, jsonataBindings(scope, raw, context), field);
    } else if (path !== undefined) {
      v = queryPath(path, raw, evaluationScope(scope, name, context));
    }
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw runtimeError(name, `The ${field} value ${JSON.stringify(v)} is not a positive integer.`);
    }
    return v;
  };
  const timeoutSeconds = await resolveOne(s.TimeoutSeconds, s.TimeoutSecondsPath, 'TimeoutSeconds');
  const heartbeatSeconds = await resolveOne(s.HeartbeatSeconds, s.HeartbeatSecondsPath, 'HeartbeatSeconds');
  return {
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
  };
}

/** `resourceType`/`resource` of Task* events: `lambda`/`invoke`, `sqs`/`sendMessage.waitForTaskToken`, `aws-sdk:s3`/`getObject`. */
function eventResource(parsed: ParsedResource, arn: string): { resourceType: string; resource: string } {
  switch (parsed.kind) {
    case 'integration':
    case 'aws-sdk': {
      const suffix = parsed.pattern === 'requestResponse' ? '' : `.${parsed.pattern}`;
      return {
        resourceType: parsed.kind === 'aws-sdk' ? `aws-sdk:${parsed.service}` : parsed.service,
        resource: `${parsed.action}${suffix}`,
      };
    }
    case 'lambda-function':
      return { resourceType: 'lambda', resource: arn };
    case 'activity':
      return { resourceType: 'activity', resource: arn };
    case 'unknown':
      return { resourceType: 'unknown', resource: arn };
    default:
      return parsed satisfies never;
  }
}

/** An opaque task token; seeded, so the same seed gives the same history. */
function newTaskToken(scope: Scope): string {
  const id = randomUuid(scope.run.random).replace(/-/g, '');
  return Buffer.from(`${scope.run.options.executionArn}#${id}`).toString('base64url');
}
