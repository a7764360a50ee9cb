import type { JsonValue, StateMachineDefinition } from '@saga/asl';
import { AslValidationError, validate } from '@saga/asl';
import type { ClockMode, ExecutionClock } from './clock.js';
import { createRealClock, createVirtualClock } from './clock.js';
import { CallbackRegistry } from './engine/callbacks.js';
import type { Checkpoint, ExecutionHandle, ExecutionOutcome } from './engine/execution-types.js';
import { runExecution } from './engine/execution.js';
import type { HistoryEvent } from './history.js';
import type { TaskResolver } from './integrations/types.js';
import { randomUuid, seededRandom } from './random.js';
import { HistoryLog } from './history-log.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './evaluation/json.js';

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
  /** Every event so far: a new array, its text fields rendered, on each read. */
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
  // Built once and shared: a template literal per execution would leave a tree of string pieces
  // behind every execution's ARN; prefix + name is one piece more.
  const executionArnPrefix = `arn:aws:states:${region}:${account}:execution:${name}:`;
  const roleArn = `arn:aws:iam::${account}:role/LocalStateMachineRole`;
  let executions = 0;
  /** Events in the last finished execution's history: room made up front in the next one's log. */
  const histories: HistorySizes = { typicalEvents: 0 };

  const start = (
    input: JsonValue = {},
    o: { name?: string; onEvent?: (e: HistoryEvent) => void; resume?: Checkpoint; seed?: number } = {},
  ): LocalExecution => {
    // As StartExecution does (InvalidExecutionInput): deeper data would overflow the engine's copies.
    if (nestsDeeperThan(input, MAX_JSON_DEPTH)) throw new InvalidExecutionInputError(`the input nests deeper than ${MAX_JSON_DEPTH} levels`);
    const executionName = o.name ?? randomUuid(names);
    const executionArn = executionArnPrefix + executionName;
    const startTime = options.startTime ?? Date.now();
    const clock = options.clock === 'real' ? createRealClock() : createVirtualClock(startTime);
    const history = new HistoryLog((o.resume?.lastEventId ?? 0) + 1, histories.typicalEvents);
    const handle = runExecution({
      definition: parsed,
      stateMachineArn,
      executionArn,
      name: executionName,
      roleArn,
      input,
      startTime,
      region,
      account,
      resolve: options.resolve,
      clock,
      random: seededRandom((o.seed ?? options.seed ?? 1) + 7919 * executions++),
      callbacks,
      history,
      ...(o.onEvent ? { onEvent: o.onEvent } : {}),
      ...(o.resume ? { resume: o.resume } : {}),
    });
    return new RunningExecution(executionArn, history, clock, handle, histories);
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

/**
 * An execution started by {@link localStateMachine}. Classes rather than object literals with
 * getters: a literal with an accessor costs a new hidden class per instance, which kept a fifth
 * of every execution's allocations alive through young-generation GCs (3 times the GC time).
 */
class RunningExecution implements LocalExecution {
  readonly done: Promise<ExecutionOutcome & { history: HistoryEvent[] }>;

  constructor(
    readonly executionArn: string,
    private readonly log: HistoryLog,
    readonly clock: ExecutionClock,
    private readonly handle: ExecutionHandle,
    histories: HistorySizes,
  ) {
    this.done = handle.done.then((outcome) => {
      histories.typicalEvents = log.length;
      return withHistory(outcome, this);
    });
  }

  get history(): HistoryEvent[] {
    return this.log.toArray();
  }

  stop(error?: string, cause?: string): void {
    this.handle.stop(error, cause);
  }
}

/** What the machine's finished executions say about the next one's history. */
interface HistorySizes {
  typicalEvents: number;
}

/** The outcome as `done` resolves it: its fields, plus `history` (rendered on read). */
class OutcomeWithHistory {
  readonly #execution: RunningExecution;

  constructor(outcome: ExecutionOutcome, execution: RunningExecution) {
    Object.assign(this, outcome);
    this.#execution = execution;
  }

  get history(): HistoryEvent[] {
    return this.#execution.history;
  }
}

function withHistory(outcome: ExecutionOutcome, execution: RunningExecution): ExecutionOutcome & { history: HistoryEvent[] } {
  return new OutcomeWithHistory(outcome, execution) as unknown as ExecutionOutcome & { history: HistoryEvent[] };
}

/** `start()` refused its input (what StartExecution answers with `InvalidExecutionInput`). */
export class InvalidExecutionInputError extends Error {
  override readonly name = 'InvalidExecutionInput';
}
