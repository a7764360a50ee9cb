import { AslValidationError, validate, type JsonValue, type StateMachineDefinition } from '@saga/asl';
import type { ExecutionClock } from '../clock.js';
import { CallbackRegistry } from '../engine/callbacks.js';
import type { Checkpoint, ExecutionHandle, ExecutionOptions, ExecutionOutcome } from '../engine/execution-types.js';
import { StatesError } from '../errors.js';
import type { HistoryEvent } from '../history.js';
import { HistoryLog } from '../history-log.js';
import type { TaskResolver } from '../integrations/types.js';
import type { Random } from '../random.js';
import { executionArn, stateMachineArn } from './arn.js';
import { apiErrors } from './errors.js';
import type { TestStateInput, TestStateOutput } from './types.js';

/**
 * TestState, kept simple: the state is copied into a machine of its own where every state it can
 * transition to (Next, Default, Choices[].Next, Catch[].Next) is a Succeed stub, then run once.
 * - the stub reached is `nextState` and its input the state's output;
 * - Retry is not run: an error a retrier would retry (attempts left, counting
 *   `stateConfiguration.retrierRetryCount`) gives RETRIABLE; otherwise Catch applies (CAUGHT_ERROR)
 *   or the state fails (FAILED);
 * - `mock.result` / `mock.errorOutput` answer every Task invocation; `variables` seed the scope.
 * Not modelled: `context`, `inspectionData` beyond the input, mocks of Map/Parallel states.
 */

export interface TestStateDeps {
  run(options: ExecutionOptions): ExecutionHandle;
  resolve: TaskResolver;
  clock(startMs: number): ExecutionClock;
  random: Random;
  region: string;
  account: string;
  partition: string;
  now(): number;
}

const TEST_MACHINE = 'TestState';
/** Longest a test run may take in real time (AWS: 5 minutes). */
const MAX_TEST_MS = 300_000;

interface Retrier {
  ErrorEquals?: string[];
  MaxAttempts?: number;
}

export async function runTestState(input: TestStateInput, deps: TestStateDeps): Promise<TestStateOutput> {
  const { name, state, queryLanguage } = pickState(input);
  const stubs = new Map<string, string>();
  const copy = structuredClone(state) as Record<string, unknown>;
  const retry = Array.isArray(copy.Retry) ? (copy.Retry as Retrier[]) : [];
  delete copy.Retry;
  const stubFor = (target: unknown): unknown => {
    if (typeof target !== 'string') return target;
    const stub = target === name ? `${name} (next)` : target;
    stubs.set(stub, target);
    return stub;
  };
  copy.Next = stubFor(copy.Next);
  copy.Default = stubFor(copy.Default);
  if (copy.Next === undefined) delete copy.Next;
  if (copy.Default === undefined) delete copy.Default;
  for (const key of ['Choices', 'Catch']) {
    const list = copy[key];
    if (Array.isArray(list)) {
      copy[key] = list.map((rule: unknown) =>
        rule && typeof rule === 'object' && 'Next' in rule ? { ...rule, Next: stubFor((rule as { Next: unknown }).Next) } : rule,
      );
    }
  }
  const machine: Record<string, unknown> = {
    ...(queryLanguage !== undefined ? { QueryLanguage: queryLanguage } : {}),
    StartAt: name,
    States: { [name]: copy, ...Object.fromEntries([...stubs.keys()].map((s) => [s, { Type: 'Succeed' }])) },
  };
  const check = validate(machine);
  if (check.result === 'FAIL') throw apiErrors.invalidDefinition(new AslValidationError(check.diagnostics).message);

  const resource = typeof copy.Resource === 'string' ? copy.Resource : '';
  if (resource.endsWith('.waitForTaskToken') && !input.mock) {
    throw apiErrors.validation(["TestState needs a 'mock' to test a '.waitForTaskToken' task"]);
  }

  const value = parseJson(input.input ?? '{}', (m) => apiErrors.invalidExecutionInput(m));
  const variables =
    input.variables === undefined ? undefined : parseJson(input.variables, (m) => apiErrors.invalidExecutionInput(`variables: ${m}`));
  if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) {
    throw apiErrors.invalidExecutionInput('variables: must be a JSON object');
  }

  const scope = { partition: deps.partition, region: deps.region, account: deps.account };
  const startTime = deps.now();
  const resume: Checkpoint | undefined =
    variables === undefined
      ? undefined
      : { stateName: name, input: value, variables: variables as Record<string, JsonValue>, lastEventId: 0, transitions: 0, at: startTime };
  const history = new HistoryLog();
  const handle = deps.run({
    definition: machine as unknown as StateMachineDefinition,
    stateMachineArn: stateMachineArn(scope, TEST_MACHINE),
    executionArn: executionArn(scope, TEST_MACHINE, `test-${Math.floor(deps.random() * 1e9)}`),
    name: TEST_MACHINE,
    roleArn: input.roleArn ?? `arn:${deps.partition}:iam::${deps.account}:role/TestState`,
    input: value,
    startTime,
    region: deps.region,
    account: deps.account,
    resolve: input.mock ? mockResolver(input.mock) : deps.resolve,
    clock: deps.clock(startTime),
    random: deps.random,
    callbacks: new CallbackRegistry(),
    history,
    ...(resume ? { resume } : {}),
  });
  const timer = setTimeout(() => handle.stop('States.Timeout', 'TestState ran longer than 5 minutes'), MAX_TEST_MS);
  timer.unref();
  let outcome: ExecutionOutcome;
  try {
    outcome = await handle.done;
  } finally {
    clearTimeout(timer);
  }
  return interpret(outcome, history.toArray(), stubs, retry, input.stateConfiguration?.retrierRetryCount ?? 0, input.input ?? '{}');
}

function pickState(input: TestStateInput): { name: string; state: Record<string, unknown>; queryLanguage?: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.definition);
  } catch (e) {
    throw apiErrors.invalidDefinition(
      `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${e instanceof Error ? e.message : String(e)}'`,
    );
  }
  if (!isObject(parsed)) {
    throw apiErrors.invalidDefinition("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object'");
  }
  if (isObject(parsed.States)) {
    const name = input.stateName ?? (typeof parsed.StartAt === 'string' ? parsed.StartAt : '');
    const state = parsed.States[name];
    if (!isObject(state)) {
      throw apiErrors.invalidDefinition(`Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: State '${name}' does not exist'`);
    }
    return { name, state, queryLanguage: state.QueryLanguage === undefined ? parsed.QueryLanguage : undefined };
  }
  return { name: input.stateName ?? 'TestState', state: parsed };
}

function mockResolver(mock: NonNullable<TestStateInput['mock']>): TaskResolver {
  if (mock.errorOutput) {
    const { error, cause } = mock.errorOutput;
    return () => Promise.reject(new StatesError(error ?? 'null', cause));
  }
  const result = parseJson(mock.result ?? 'null', (m) => apiErrors.validation([`mock.result is not valid JSON: ${m}`]));
  return () => Promise.resolve(result);
}

function interpret(
  outcome: ExecutionOutcome,
  events: readonly HistoryEvent[],
  stubs: ReadonlyMap<string, string>,
  retry: readonly Retrier[],
  retryCount: number,
  input: string,
): TestStateOutput {
  const failure = lastError(events, outcome);
  const inspectionData = { input };
  if (failure && retriable(retry, failure.error, retryCount)) {
    return { status: 'RETRIABLE', error: failure.error, ...(failure.cause !== undefined ? { cause: failure.cause } : {}), inspectionData };
  }
  if (outcome.status !== 'SUCCEEDED') {
    return {
      status: 'FAILED',
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}),
      inspectionData,
    };
  }
  const output = JSON.stringify(outcome.output);
  const stub = [...events].reverse().find((e) => e.type === 'SucceedStateEntered' && stubs.has(e.stateEnteredEventDetails.name));
  const nextState = stub && stub.type === 'SucceedStateEntered' ? stubs.get(stub.stateEnteredEventDetails.name) : undefined;
  if (failure && nextState !== undefined) {
    return {
      status: 'CAUGHT_ERROR',
      output,
      error: failure.error,
      ...(failure.cause !== undefined ? { cause: failure.cause } : {}),
      nextState,
      inspectionData,
    };
  }
  return { status: 'SUCCEEDED', output, ...(nextState !== undefined ? { nextState } : {}), inspectionData };
}

/** The last error an event reported (task failures, timeouts, evaluation failures, the execution's end). */
function lastError(events: readonly HistoryEvent[], outcome: ExecutionOutcome): { error: string; cause?: string } | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    for (const [key, value] of Object.entries(events[i]!)) {
      if (!key.endsWith('EventDetails') || !isObject(value) || typeof value.error !== 'string') continue;
      return { error: value.error, ...(typeof value.cause === 'string' ? { cause: value.cause } : {}) };
    }
  }
  if (outcome.status !== 'SUCCEEDED' && outcome.error !== undefined) {
    return { error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
  }
  return undefined;
}

function retriable(retry: readonly Retrier[], error: string, retryCount: number): boolean {
  if (error === 'States.Runtime') return false;
  const retrier = retry.find((r) =>
    (r.ErrorEquals ?? []).some((e) => e === error || e === 'States.ALL' || (e === 'States.TaskFailed' && error !== 'States.Timeout')),
  );
  return retrier !== undefined && retryCount < (retrier.MaxAttempts ?? 3);
}

function parseJson(text: string, fail: (message: string) => Error): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
