import type { Catcher, JsonValue, TaskState } from '@saga/asl';
import { runtimeError, StatesError, toStatesError } from '../../errors.js';
import { evaluateJsonata, isJsonataExpression, queryPath } from '../../evaluation/index.js';
import { asPromise } from '../../integrations/common.js';
import { parseResource } from '../../integrations/resource.js';
import type { ParsedResource, TaskInvocation } from '../../integrations/types.js';
import { isCompletedCallback } from '../../integrations/types.js';
import { randomUuid } from '../../random.js';
import { sleepUnlessCancelled } from '../cancellation.js';
import type { Checkpoint } from '../execution-types.js';
import type { EvaluationScope } from '../../evaluation/index.js';
import { findCatcher, findRetrier, DEFAULT_MAX_ATTEMPTS, retryDelayMs } from '../errors-matching.js';
import {
  catcherOutput,
  commitAssignments,
  effectiveInput,
  jsonPathPipeline,
  pipelineInput,
  pipelineOutput,
  stateOutput,
  type JsonPathPipeline,
} from '../io.js';
import type { Scope, StateHandler, StateOutcome } from '../scope.js';
import { nextTurn } from '../turns.js';
import { ABORTED, Aborted, contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { historyText } from '../../history-log.js';
import { EVENT } from '../../history-log.js';

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
export const executeTask: StateHandler<TaskState> = (name, state, raw, scope, resume) => {
  const plan = planOf(state);
  if (!resume && plan.plain && languageOf(state, scope) === 'JSONPath') return executePlainTask(name, state, plan, raw, scope);
  return executeTaskInFull(name, state, raw, scope, resume, undefined);
};

/**
 * The common Task (JSONPath, no task token, no timeouts, not resumed after a restart): its first
 * attempt, with the same events and semantics as {@link executeTaskInFull}'s first round, as plain
 * promise continuations rather than an async function, whose suspended frame (it holds all of its
 * registers) was the largest allocation of a waiting execution. A first attempt that fails goes on
 * in {@link executeTaskInFull}, where Retry and Catch are.
 */
function executePlainTask(name: string, state: TaskState, plan: TaskPlan, raw: JsonValue, scope: Scope): Promise<StateOutcome> {
  const { run } = scope;
  const enteredTime = run.clock.now();
  run.history.entered(scope.thread, EVENT.TaskStateEntered, name, raw);
  const inFull = (thrown: unknown) => executeTaskInFull(name, state, raw, scope, undefined, { thrown, enteredTime });
  const pipeline = jsonPathPipeline(state);
  let es: EvaluationScope;
  let input: JsonValue;
  try {
    // One evaluation scope for the input and the output: neither changes the context or the variables.
    es = evaluationScope(scope, name, contextFor(scope, name, enteredTime, FIRST_ATTEMPT));
    input = pipelineInput(pipeline, raw, es);
  } catch (thrown) {
    return inFull(thrown);
  }
  return attemptPlain(name, state, plan, input, scope, 0, undefined, (result) => plainTaskOutcome(state, pipeline, raw, result, scope, es, inFull), inFull);
}

/**
 * After a plain first attempt succeeded: the state's output and its TaskStateExited, once it is
 * this execution's turn (`turnTaken` when it has waited for it already).
 */
function plainTaskOutcome(
  state: TaskState,
  pipeline: JsonPathPipeline,
  raw: JsonValue,
  result: JsonValue,
  scope: Scope,
  es: EvaluationScope,
  inFull: (thrown: unknown) => Promise<StateOutcome>,
  turnTaken = false,
): StateOutcome | Promise<StateOutcome> {
  const turn = turnTaken ? undefined : nextTurn(scope.run.order);
  if (turn) return waitForTurn(turn, scope).then(() => plainTaskOutcome(state, pipeline, raw, result, scope, es, inFull, true), inFull);
  try {
    const { output, assigned } = pipelineOutput(pipeline, raw, result, es);
    const assignedVariables = commitAssignments(scope, assigned);
    scope.run.history.exited(scope.thread, EVENT.TaskStateExited, es.stateName, output, assignedVariables);
    return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
  } catch (thrown) {
    return inFull(thrown);
  }
}

/**
 * Every Task, from its start, from a checkpoint (`resume`), or after {@link executePlainTask}'s
 * first attempt failed (`firstFailure`: that attempt's error, handled as if thrown here).
 */
async function executeTaskInFull(
  name: string,
  state: TaskState,
  raw: JsonValue,
  scope: Scope,
  resume: Waiting | undefined,
  firstFailure: { thrown: unknown; enteredTime: number } | undefined,
): Promise<StateOutcome> {
  const { run } = scope;
  const enteredTime = resume?.enteredTime ?? firstFailure?.enteredTime ?? run.clock.now();
  if (!resume && !firstFailure) run.history.entered(scope.thread, EVENT.TaskStateEntered, name, raw);
  const language = languageOf(state, scope);
  const plan = planOf(state);
  const { callback } = plan;
  const retryCounts = resume?.retryCounts ?? (plan.retriers === 0 ? NO_RETRIES : new Array<number>(plan.retriers).fill(0));
  let attempt = resume?.attempt ?? 0;
  let retryDelay: number | undefined;
  let resuming: Waiting | undefined = resume;
  let failed = firstFailure;

  for (;;) {
    const taskToken = resuming?.taskToken ?? (callback ? newTaskToken(scope) : undefined);
    const context = contextFor(scope, name, enteredTime, taskToken ? { retryCount: attempt, taskToken } : { retryCount: attempt });
    try {
      if (failed) {
        const { thrown } = failed;
        failed = undefined;
        throw thrown;
      }
      let result: JsonValue;
      if (resuming) {
        const r = resuming;
        resuming = undefined;
        result = await attemptTask(name, state, plan, r.effectiveInput, scope, {
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
        const timeouts = plan.timeouts ?? (await resolveTimeouts(state, name, raw, scope, context));
        result =
          !taskToken && timeouts === NO_TIMEOUTS
            ? await attemptPlain(name, state, plan, input, scope, attempt, retryDelay, asResult, rethrow)
            : await attemptTask(name, state, plan, input, scope, {
                attempt,
                ...(taskToken ? { taskToken } : {}),
                ...timeouts,
                ...(retryDelay !== undefined ? { retryDelay } : {}),
                enteredTime,
                rawInput: raw,
                retryCounts,
              });
      }
      const turn = nextTurn(run.order);
      if (turn) await waitForTurn(turn, scope);
      const pendingOutput = stateOutput(state, name, raw, result, scope, context);
      const { output, assigned } = pendingOutput instanceof Promise ? await pendingOutput : pendingOutput;
      const assignedVariables = commitAssignments(scope, assigned);
      run.history.exited(scope.thread, EVENT.TaskStateExited, name, output, assignedVariables);
      return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
    } catch (thrown) {
      if (thrown instanceof Aborted || scope.cancel.aborted) {
        run.history.addDetailless(scope.thread, EVENT.TaskStateAborted);
        throw ABORTED;
      }
      const error = toStatesError(thrown);
      const turn = nextTurn(run.order);
      if (turn) {
        try {
          await waitForTurn(turn, scope);
        } catch {
          run.history.addDetailless(scope.thread, EVENT.TaskStateAborted);
          throw ABORTED;
        }
      }
      const r = findRetrier(state.Retry, error);
      if (r >= 0) {
        const retrier = state.Retry![r]!;
        if (retryCounts[r]! < (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
          retryCounts[r]!++;
          retryDelay = retryDelayMs(retrier, retryCounts[r]!, run.random);
          run.transitions++;
          try {
            await sleepUnlessCancelled(run, retryDelay, scope.cancel);
          } catch {
            run.history.addDetailless(scope.thread, EVENT.TaskStateAborted);
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
      run.history.exited(scope.thread, EVENT.TaskStateExited, name, output, assignedVariables);
      return { kind: 'next', next: catcher.Next, output };
    }
  }
};

/**
 * Waits for this execution's turn to continue (see turns.ts) with its clock standing still, so no
 * timer fires for time spent queueing; throws ABORTED when the execution was stopped meanwhile.
 */
async function waitForTurn(turn: Promise<void>, scope: Scope): Promise<void> {
  const release = scope.run.clock.hold();
  try {
    await turn;
  } finally {
    release();
  }
  if (scope.cancel.aborted) throw ABORTED;
}

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

/**
 * What a Task state's definition fixes, worked out once per state (not per execution): the parsed
 * resource, the names its events carry, and its timeouts when they are plain numbers.
 */
interface TaskPlan {
  parsed: ParsedResource;
  /** A `.waitForTaskToken` resource. */
  callback: boolean;
  /** A legacy function ARN: its events are LambdaFunction*, not Task*. */
  lambdaArn: boolean;
  resourceType: string;
  resource: string;
  /** undefined when a timeout comes from a path or an expression (resolved per attempt). */
  timeouts: Timeouts | undefined;
  retriers: number;
  /** No task token and no timeouts: {@link executePlainTask} can run its first attempt. */
  plain: boolean;
}

interface Timeouts {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

const plans = new WeakMap<TaskState, TaskPlan>();
const NO_RETRIES: number[] = [];

function planOf(state: TaskState): TaskPlan {
  let plan = plans.get(state);
  if (!plan) {
    const parsed = parseResource(state.Resource);
    const callback = (parsed.kind === 'integration' || parsed.kind === 'aws-sdk') && parsed.pattern === 'waitForTaskToken';
    const timeouts = staticTimeouts(state);
    plan = {
      parsed,
      callback,
      lambdaArn: parsed.kind === 'lambda-function',
      ...eventResource(parsed, state.Resource),
      timeouts,
      retriers: state.Retry?.length ?? 0,
      plain: !callback && timeouts === NO_TIMEOUTS,
    };
    plans.set(state, plan);
  }
  return plan;
}

/** LambdaFunctionScheduled + LambdaFunctionStarted, or TaskScheduled + TaskStarted. */
function recordScheduled(
  scope: Scope,
  state: TaskState,
  plan: TaskPlan,
  input: JsonValue,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
  retryDelay: number | undefined,
): void {
  const { run } = scope;
  if (plan.lambdaArn) {
    run.history.lambdaScheduled(scope.thread, state.Resource, input, timeoutSeconds, retryDelay);
    run.history.addDetailless(scope.thread, EVENT.LambdaFunctionStarted);
  } else {
    const { resourceType, resource } = plan;
    const extra = retryDelay !== undefined ? { retryDelayMs: retryDelay } : undefined;
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

/** LambdaFunctionSucceeded or TaskSucceeded. */
function recordSucceeded(scope: Scope, plan: TaskPlan, result: JsonValue): void {
  if (plan.lambdaArn) {
    scope.run.history.lambdaSucceeded(scope.thread, result);
  } else {
    const { resourceType, resource } = plan;
    scope.run.history.add(scope.thread, 'TaskSucceeded', { taskSucceededEventDetails: { resourceType, resource, output: historyText(result) } });
  }
}

/** LambdaFunction(TimedOut|Failed) or Task(TimedOut|Failed); returns the error to throw. */
function recordFailed(scope: Scope, plan: TaskPlan, thrown: unknown): StatesError {
  const { history } = scope.run;
  const timedOut = thrown instanceof TaskTimeout;
  const error = timedOut ? thrown : toStatesError(thrown);
  const details = { ...(error.name ? { error: error.name } : {}), ...(error.cause !== undefined ? { cause: error.cause } : {}) };
  const { resourceType, resource } = plan;
  if (timedOut) {
    if (plan.lambdaArn) history.add(scope.thread, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: details });
    else history.add(scope.thread, 'TaskTimedOut', { taskTimedOutEventDetails: { resourceType, resource, ...details } });
  } else if (plan.lambdaArn) {
    history.add(scope.thread, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: details });
  } else {
    history.add(scope.thread, 'TaskFailed', { taskFailedEventDetails: { resourceType, resource, ...details } });
  }
  return error;
}

/**
 * The invocation an integration gets. A class, so its accessors and methods live on the prototype
 * rather than being closures made for every attempt. Its `signal` (an AbortController) is created
 * on first read: most integrations never read it.
 */
class AttemptInvocation implements TaskInvocation {
  readonly abandonedByCaller = true;
  taskToken?: string;
  private controller: AbortController | undefined;

  constructor(
    readonly resource: string,
    readonly parsed: ParsedResource,
    readonly input: JsonValue,
    readonly stateName: string,
    readonly attempt: number,
    readonly execution: TaskInvocation['execution'],
    private readonly clock: Scope['run']['clock'],
  ) {}

  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }

  get realTime(): boolean {
    return this.clock.mode === 'real';
  }

  /** Stops the work behind a failed or interrupted attempt (only if it took the signal). */
  abandon(): void {
    this.controller?.abort(ABORTED);
  }

  // `sleep` and `now` are getters returning functions so that they also work detached
  // (`const { now } = invocation`), as the plain functions of a literal did.
  get sleep(): (ms: number) => Promise<void> {
    return (ms) => this.clock.idleSleep(ms, this.signal);
  }

  get now(): () => number {
    return this.clock.now;
  }
}

function invocationFor(name: string, state: TaskState, plan: TaskPlan, input: JsonValue, scope: Scope, attempt: number): AttemptInvocation {
  const { run } = scope;
  return new AttemptInvocation(state.Resource, plan.parsed, input, name, attempt, run.identity, run.clock);
}

/**
 * The common attempt: no task token and no timeouts, so only a stop (StopExecution, a failed
 * sibling) can interrupt it. Same events and semantics as {@link attemptTask}, fewer allocations:
 * a plain promise rather than an async function, since thousands of executions may sit here. It
 * settles with `onValue(result)` or `onError(error)`: the caller's next step, taken without one
 * more promise in between.
 */
function attemptPlain<T>(
  name: string,
  state: TaskState,
  plan: TaskPlan,
  input: JsonValue,
  scope: Scope,
  attempt: number,
  retryDelay: number | undefined,
  onValue: (result: JsonValue) => T | Promise<T>,
  onError: (thrown: unknown) => T | Promise<T>,
): Promise<T> {
  recordScheduled(scope, state, plan, input, undefined, undefined, retryDelay);
  const invocation = invocationFor(name, state, plan, input, scope, attempt);
  let pending: Promise<JsonValue> | undefined;
  try {
    pending = scope.run.resolve(invocation);
    if (!pending) throw runtimeError(name, `No integration handles the resource '${state.Resource}'.`);
  } catch (thrown) {
    const failure = attemptFailed(scope, plan, invocation, thrown);
    return asPromise(() => Promise.resolve(onError(failure)));
  }
  const work = pending;
  // The clock stands still while the work is in flight (released exactly once, whichever way the
  // attempt ends); a stop settles at once with ABORTED.
  const { clock } = scope.run;
  const { cancel } = scope;
  clock.acquire();
  return new Promise<T>((resolve, reject) => {
    let stopped = false;
    const onStop = () => {
      stopped = true;
      clock.release();
      settle(resolve, reject, onError, attemptFailed(scope, plan, invocation, ABORTED));
    };
    cancel.listen(onStop);
    work.then(
      (value) => {
        if (stopped) return; // the work outlived a stop: nothing more is recorded
        cancel.unlisten(onStop);
        clock.release();
        recordSucceeded(scope, plan, value);
        settle(resolve, reject, onValue, value);
      },
      (error: unknown) => {
        if (stopped) return;
        cancel.unlisten(onStop);
        clock.release();
        settle(resolve, reject, onError, attemptFailed(scope, plan, invocation, error));
      },
    );
  });
}

/** Settles a promise with `next(value)`, or rejects it with what `next` threw. */
function settle<T, V>(resolve: (v: T | Promise<T>) => void, reject: (e: unknown) => void, next: (value: V) => T | Promise<T>, value: V): void {
  try {
    resolve(next(value));
  } catch (e) {
    reject(e);
  }
}

const asResult = (result: JsonValue): JsonValue => result;
const rethrow = (thrown: unknown): never => {
  throw thrown;
};

/** What a failed plain attempt throws: ABORTED after a stop, else the error (recorded). */
function attemptFailed(scope: Scope, plan: TaskPlan, invocation: AttemptInvocation, thrown: unknown): unknown {
  invocation.abandon();
  if (scope.cancel.aborted) return ABORTED;
  return recordFailed(scope, plan, thrown);
}

/** One attempt: schedule, invoke, wait for the token if a callback, each bounded by its timers. */
async function attemptTask(
  name: string,
  state: TaskState,
  plan: TaskPlan,
  input: JsonValue,
  scope: Scope,
  o: AttemptOptions,
): Promise<JsonValue> {
  const { run } = scope;
  const { clock } = run;
  const { resourceType, resource } = plan;
  const timeoutSeconds = o.resumed ? undefined : o.timeoutSeconds;
  const heartbeatSeconds = o.resumed ? o.resumed.heartbeatSeconds : o.heartbeatSeconds;

  if (!o.resumed) recordScheduled(scope, state, plan, input, timeoutSeconds, heartbeatSeconds, o.retryDelay);

  // One interruption ends the attempt early: TimeoutSeconds from the start, HeartbeatSeconds
  // between heartbeats of a callback, or the parent aborting (StopExecution, a failed sibling).
  let interrupt: ((reason: unknown) => void) | undefined;
  let pendingInterruption: unknown;
  const interruptWith = (reason: unknown) => {
    if (interrupt) interrupt(reason);
    else pendingInterruption ??= reason;
  };
  const stopListening = scope.cancel.onAbort(() => interruptWith(ABORTED));
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

  const invocation = invocationFor(name, state, plan, input, scope, o.attempt);
  if (o.taskToken) invocation.taskToken = o.taskToken;

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
    recordSucceeded(scope, plan, result);
    return result;
  } catch (thrown) {
    if (scope.cancel.aborted) throw ABORTED;
    throw recordFailed(scope, plan, thrown);
  } finally {
    // An interrupted or failed attempt cancels the work behind it; its timers and token end either way.
    if (!ok) invocation.abandon();
    cancelTimeout?.();
    cancelHeartbeat?.();
    unregister?.();
    stopListening();
  }
}

const NO_TIMEOUTS: Timeouts = Object.freeze({});
/** `$$.State.RetryCount` of a first attempt. */
const FIRST_ATTEMPT = Object.freeze({ retryCount: 0 });

/** The timeouts when both are absent or plain numbers (the common case), without a promise. */
function staticTimeouts(state: TaskState): Timeouts | undefined {
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
): Promise<Timeouts> {
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
  if (timeoutSeconds === undefined && heartbeatSeconds === undefined) return NO_TIMEOUTS;
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
