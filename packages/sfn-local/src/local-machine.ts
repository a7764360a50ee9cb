import type { JsonValue, StateMachineDefinition } from '@saga/asl';
import { AslValidationError, validate } from '@saga/asl';
import type { ClockMode, ExecutionClock } from './clock.js';
import { createRealClock, createVirtualClock } from './clock.js';
import { CallbackRegistry } from './engine/callbacks.js';
import type { Checkpoint, ExecutionOutcome } from './engine/execution-types.js';
import { runExecution } from './engine/execution.js';
import type { HistoryEvent } from './history.js';
import type { TaskResolver } from './integrations/types.js';
import { randomUuid, seededRandom } from './random.js';
import { renderEvent } from './engine/scope.js';

export interface LocalStateMachineOptions {
  /** Resolves Task resources (chain several with `chainResolvers`). */
  resolve: TaskResolver;
  /** @default 'virtual' */
  clock?: ClockMode;
  /** Seeds jitter, task tokens and generated names: the same seed gives the same history. @default 1 */
  seed?: number;
  /** @default 'LocalStateMachine' */
  name?: string;
  region?: string;
  account?: string;
  /** Open task tokens; share one registry to answer callbacks of several machines. */
  callbacks?: CallbackRegistry;
  /** Validate the definition with @saga/asl first (AslValidationError on errors). @default true */
  validate?: boolean;
  /** Virtual time's origin (epoch ms). @default Date.now() at start */
  startTime?: number;
}

export interface LocalExecution {
  readonly executionArn: string;
  /** Every event so far (a live array). */
  readonly history: HistoryEvent[];
  readonly clock: ExecutionClock;
  readonly done: Promise<ExecutionOutcome & { history: HistoryEvent[] }>;
  stop(error?: string, cause?: string): void;
}

/**
 * An in-process state machine: `start(input)` runs an execution on this engine without any
 * server, for unit tests and benchmarks. The HTTP API uses the same engine.
 *
 * @example
 * const machine = localStateMachine(definition, { resolve: chainResolvers(lambdaResolver, unknownResourceResolver) });
 * const { status, output } = await machine.run({ orderId: 'o-1' });
 */
export function localStateMachine(definition: StateMachineDefinition | string, options: LocalStateMachineOptions) {
  const parsed = (typeof definition === 'string' ? JSON.parse(definition) : definition) as StateMachineDefinition;
  if (options.validate !== false) {
    const { diagnostics } = validate(parsed);
    const errors = diagnostics.filter((d) => d.severity === 'ERROR');
    if (errors.length > 0) throw new AslValidationError(errors);
  }
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '123456789012';
  const name = options.name ?? 'LocalStateMachine';
  const stateMachineArn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
  const callbacks = options.callbacks ?? new CallbackRegistry();
  const names = seededRandom(options.seed ?? 1);
  let executions = 0;

  const start = (
    input: JsonValue = {},
    o: { name?: string; onEvent?: (e: HistoryEvent) => void; resume?: Checkpoint; seed?: number } = {},
  ): LocalExecution => {
    const executionName = o.name ?? randomUuid(names);
    const executionArn = `arn:aws:states:${region}:${account}:execution:${name}:${executionName}`;
    const startTime = options.startTime ?? Date.now();
    const clock = options.clock === 'real' ? createRealClock() : createVirtualClock(startTime);
    const history: HistoryEvent[] = [];
    const handle = runExecution({
      definition: parsed,
      stateMachineArn,
      executionArn,
      name: executionName,
      roleArn: `arn:aws:iam::${account}:role/LocalStateMachineRole`,
      input,
      startTime,
      region,
      account,
      resolve: options.resolve,
      clock,
      random: seededRandom((o.seed ?? options.seed ?? 1) + 7919 * executions++),
      callbacks,
      onEvent: (e) => {
        history.push(e);
        if (o.onEvent) o.onEvent(renderEvent(e));
      },
      ...(o.resume ? { resume: o.resume } : {}),
    });
    // History fields are rendered to JSON text when read, not as the execution runs.
    let rendered = 0;
    const renderedHistory = () => {
      for (; rendered < history.length; rendered++) renderEvent(history[rendered]!);
      return history;
    };
    return {
      executionArn,
      get history() {
        return renderedHistory();
      },
      clock,
      done: handle.done.then((outcome) => ({ ...outcome, get history() { return renderedHistory(); } })),
      stop: (error, cause) => handle.stop(error, cause),
    };
  };

  return {
    definition: parsed,
    stateMachineArn,
    callbacks,
    start,
    /** Starts an execution and waits for its end. */
    run: (input: JsonValue = {}, o: { name?: string } = {}) => start(input, o).done,
  };
}

export type LocalStateMachine = ReturnType<typeof localStateMachine>;
