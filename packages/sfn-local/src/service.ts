import { HistoryLog } from './history-log.js';
import { AslValidationError, validate, type JsonValue, type StateMachineDefinition } from '@saga/asl';
import { createRealClock, createVirtualClock, type ClockMode, type ExecutionClock } from './clock.js';
import { CallbackApiError, CallbackRegistry } from './engine/callbacks.js';
import { runExecution as engineRunExecution } from './engine/execution.js';
import type { Checkpoint, ExecutionHandle, ExecutionOptions, ExecutionOutcome } from './engine/execution-types.js';
import type { HistoryEvent } from './history.js';
import type { TaskResolver } from './integrations/types.js';
import { randomUuid, seededRandom, type Random } from './random.js';
import {
  executionArn as buildExecutionArn,
  expressExecutionArn,
  parseArn,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn as buildStateMachineArn,
  type ArnScope,
} from './service/arn.js';
import { SfnApiError, apiErrors } from './service/errors.js';
import { checkName } from './service/names.js';
import { decodeToken, encodeToken, pageSize } from './service/pagination.js';
import { mixSeed } from './service/seed.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './evaluation/json.js';
import { runTestState } from './service/test-state.js';
import type * as T from './service/types.js';
import { Journal } from './store/journal.js';
import type { ExecutionStart, ServiceLine, StateMachineSnapshot } from './store/records.js';

export { SfnApiError, apiErrors, isSfnApiError } from './service/errors.js';
export type * from './service/types.js';

export { MAX_JSON_DEPTH } from './evaluation/json.js';
/** Payload limit of inputs, outputs and SendTaskSuccess output (UTF-8 bytes). */
export const MAX_PAYLOAD_BYTES = 262_144;
/** Longest execution of each type (an Express machine without `TimeoutSeconds` gets the 5 minutes). */
export const MAX_EXECUTION_SECONDS = { STANDARD: 365 * 24 * 3600, EXPRESS: 300 } as const;

/** The execution an event belongs to (for `onEvent`). */
export interface ExecutionInfo {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  type: T.StateMachineType;
}

export type RunExecution = (options: ExecutionOptions) => ExecutionHandle;

export interface SfnServiceOptions {
  /** How Task states are carried out. */
  resolve: TaskResolver;
  /** Time each execution runs on. @default 'virtual' */
  clockMode?: ClockMode;
  /** Seed of all randomness (task tokens, jitter, generated names): same seed, same runs. @default 0 */
  seed?: number;
  /** Persist state machines and executions in this folder, and resume running executions from it. */
  dataDir?: string;
  /** Or: an already opened journal (when other components read their records first). */
  journal?: Journal;
  /** fsync acknowledged writes (only with `dataDir`). @default false */
  fsync?: boolean;
  /** @default 'us-east-1' */
  region?: string;
  /** @default '123456789012' */
  account?: string;
  /** @default 'aws' */
  partition?: string;
  /** Every history event of every execution, as it happens. */
  onEvent?(event: HistoryEvent, execution: ExecutionInfo): void;
  /**
   * Task resolver for one execution, tried before `resolve` (mock test cases: an execution started
   * on `<stateMachineArn>#<testCase>`, as Step Functions Local does, carries `testCase`). A throw
   * refuses the StartExecution with a ValidationException carrying its message.
   */
  resolverFor?(execution: { stateMachineName: string; executionArn: string; testCase?: string }): TaskResolver | undefined;
  /** The interpreter (tests substitute their own). @default runExecution of ./engine/execution.js */
  runExecution?: RunExecution;
  /** Wall clock for API metadata (creation and start dates). @default Date.now */
  now?: () => number;
}

interface StateMachineEntry extends StateMachineSnapshot {
  seq: number;
  /** Events in its last finished execution's history: room made up front in the next one's log. */
  typicalEvents?: number;
}

interface ExecutionEntry extends ExecutionStart {
  seq: number;
  type: T.StateMachineType;
  status: T.ExecutionStatus;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryLog;
  checkpoint?: Checkpoint;
  /** An acknowledged callback of the task the last checkpoint waits on, not delivered yet (after a restart). */
  pendingCallback?: Extract<ServiceLine, { t: 'cb' }>;
  handle?: ExecutionHandle;
  clock?: ExecutionClock;
  resolver?: TaskResolver;
  /** Settles once the outcome is recorded. */
  settled?: Promise<void>;
}

const HISTORY_CONTEXT_SEPARATOR = '|';

/**
 * A local AWS Step Functions: state machines, executions, their histories and outcomes, with one
 * method per API operation in AWS's terms (inputs and outputs as in `@aws-sdk/client-sfn`, errors
 * as {@link SfnApiError}s named as AWS names them).
 */
export class SfnService {
  readonly region: string;
  readonly account: string;
  readonly callbacks = new CallbackRegistry();
  /** The journal, when persisting (other components append their records here). */
  readonly journal: Journal | undefined;

  private readonly scope: ArnScope;
  private readonly resolve: TaskResolver;
  private readonly clockMode: ClockMode;
  private readonly seed: number;
  private readonly run: RunExecution;
  private readonly now: () => number;
  private readonly onEventHook: SfnServiceOptions['onEvent'];
  private readonly resolverFor: SfnServiceOptions['resolverFor'];
  private readonly names: Random;

  private readonly machines = new Map<string, StateMachineEntry>();
  private readonly executions = new Map<string, ExecutionEntry>();
  /** Running Express executions (kept only while they run: AWS keeps no record of them). */
  private readonly expressRunning = new Set<ExecutionEntry>();
  /** Test runs (TestState) in flight, stopped on close. */
  private readonly testRuns = new Set<ExecutionHandle>();
  /** Which execution waits on a task token (from checkpoints). */
  private readonly tokenOwners = new Map<string, string>();
  /** Tokens of resumed tasks the engine has not re-opened yet. */
  private readonly reopening = new Set<string>();
  private seq = 0;
  private testRunCount = 0;
  private closing = false;

  constructor(options: SfnServiceOptions) {
    this.resolve = options.resolve;
    this.clockMode = options.clockMode ?? 'virtual';
    this.seed = options.seed ?? 0;
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.scope = { partition: options.partition ?? 'aws', region: this.region, account: this.account };
    this.run = options.runExecution ?? engineRunExecution;
    this.now = options.now ?? Date.now;
    this.onEventHook = options.onEvent;
    this.resolverFor = options.resolverFor;
    this.names = seededRandom(mixSeed(this.seed, 'names'));
    this.journal = options.journal ?? (options.dataDir ? Journal.open({ dir: options.dataDir, fsync: options.fsync }) : undefined);
    if (this.journal) this.replay(this.journal);
  }

  // ------------------------------------------------------------------ state machines

  createStateMachine(input: T.CreateStateMachineInput): T.CreateStateMachineOutput {
    checkName(input.name);
    checkRoleArn(input.roleArn);
    const type = input.type ?? 'STANDARD';
    this.checkDefinition(input.definition, type);
    const arn = buildStateMachineArn(this.scope, input.name);
    const logging = normalizeLogging(input.loggingConfiguration);
    const tracing = normalizeTracing(input.tracingConfiguration);
    const encryption = normalizeEncryption(input.encryptionConfiguration);
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.status === 'DELETING') throw apiErrors.stateMachineDeleting(arn);
      const same =
        existing.definition === input.definition &&
        existing.type === type &&
        sameJson(existing.loggingConfiguration, logging) &&
        sameJson(existing.tracingConfiguration, tracing) &&
        sameJson(existing.encryptionConfiguration, encryption);
      if (!same) throw apiErrors.stateMachineAlreadyExists(arn);
      return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
    }
    const at = this.now();
    const sm: StateMachineEntry = {
      seq: ++this.seq,
      arn,
      name: input.name,
      definition: input.definition,
      roleArn: input.roleArn,
      type,
      status: 'ACTIVE',
      creationDate: at,
      updateDate: at,
      loggingConfiguration: logging,
      tracingConfiguration: tracing,
      encryptionConfiguration: encryption,
      tags: mergeTags([], input.tags ?? []),
    };
    this.machines.set(arn, sm);
    this.persistMachine(sm);
    return { stateMachineArn: arn, creationDate: new Date(at) };
  }

  describeStateMachine(input: T.DescribeStateMachineInput): T.DescribeStateMachineOutput {
    const sm = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: sm.arn,
      name: sm.name,
      status: sm.status,
      definition: input.includedData === 'METADATA_ONLY' ? '{}' : sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: new Date(sm.creationDate),
      loggingConfiguration: sm.loggingConfiguration,
      tracingConfiguration: sm.tracingConfiguration,
      encryptionConfiguration: sm.encryptionConfiguration,
      ...(sm.revisionId ? { revisionId: sm.revisionId } : {}),
    };
  }

  listStateMachines(input: T.ListStateMachinesInput = {}): T.ListStateMachinesOutput {
    const size = pageSize(input.maxResults);
    const after = input.nextToken === undefined ? 0 : decodeToken(input.nextToken, 'sm', '');
    const all = [...this.machines.values()].filter((sm) => sm.seq > after).sort((a, b) => a.seq - b.seq);
    const page = all.slice(0, size);
    return {
      stateMachines: page.map((sm) => ({
        stateMachineArn: sm.arn,
        name: sm.name,
        type: sm.type,
        creationDate: new Date(sm.creationDate),
      })),
      ...(all.length > size ? { nextToken: encodeToken('sm', '', page[page.length - 1]!.seq) } : {}),
    };
  }

  updateStateMachine(input: T.UpdateStateMachineInput): T.UpdateStateMachineOutput {
    const sm = this.machine(input.stateMachineArn);
    if (
      input.definition === undefined &&
      input.roleArn === undefined &&
      input.loggingConfiguration === undefined &&
      input.tracingConfiguration === undefined &&
      input.encryptionConfiguration === undefined
    ) {
      throw apiErrors.missingRequiredParameter(
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
    if (sm.status === 'DELETING') throw apiErrors.stateMachineDeleting(sm.arn);
    if (input.roleArn !== undefined) checkRoleArn(input.roleArn);
    if (input.definition !== undefined) this.checkDefinition(input.definition, sm.type);
    const at = Math.max(this.now(), sm.updateDate);
    if (input.definition !== undefined) sm.definition = input.definition;
    if (input.roleArn !== undefined) sm.roleArn = input.roleArn;
    if (input.loggingConfiguration !== undefined) sm.loggingConfiguration = normalizeLogging(input.loggingConfiguration);
    if (input.tracingConfiguration !== undefined) sm.tracingConfiguration = normalizeTracing(input.tracingConfiguration);
    if (input.encryptionConfiguration !== undefined) {
      sm.encryptionConfiguration = normalizeEncryption(input.encryptionConfiguration);
    }
    sm.updateDate = at;
    sm.revisionId = randomUuid(this.names);
    this.persistMachine(sm);
    return { updateDate: new Date(at), revisionId: sm.revisionId };
  }

  /**
   * Deletes a state machine. With executions still running it is DELETING until they end (they
   * run on); deleting an unknown state machine succeeds, as on AWS.
   */
  deleteStateMachine(input: T.DeleteStateMachineInput): Record<string, never> {
    const { qualifier } = parseStateMachineArn(input.stateMachineArn);
    if (qualifier !== undefined) return {};
    const sm = this.machines.get(input.stateMachineArn);
    if (!sm) return {};
    if (this.runningOf(sm.arn) > 0) {
      if (sm.status !== 'DELETING') {
        sm.status = 'DELETING';
        this.persistMachine(sm);
      }
    } else {
      this.removeMachine(sm);
    }
    return {};
  }

  describeStateMachineForExecution(input: T.DescribeStateMachineForExecutionInput): T.DescribeStateMachineForExecutionOutput {
    const x = this.execution(input.executionArn);
    const sm = this.machines.get(x.stateMachineArn);
    return {
      stateMachineArn: x.stateMachineArn,
      name: x.stateMachineName,
      definition: input.includedData === 'METADATA_ONLY' ? '{}' : x.definition,
      roleArn: x.roleArn,
      updateDate: new Date(sm?.updateDate ?? x.startDate),
      loggingConfiguration: sm?.loggingConfiguration ?? normalizeLogging(undefined),
      tracingConfiguration: sm?.tracingConfiguration ?? normalizeTracing(undefined),
      encryptionConfiguration: sm?.encryptionConfiguration ?? normalizeEncryption(undefined),
      ...(sm?.revisionId ? { revisionId: sm.revisionId } : {}),
    };
  }

  // ------------------------------------------------------------------ executions

  /**
   * Starts an execution. Standard: a name already used gives the same execution back while it
   * runs with the same input, `ExecutionAlreadyExists` otherwise. Express: names are not kept.
   */
  startExecution(input: T.StartExecutionInput): T.StartExecutionOutput {
    const { arn: smArn, testCase } = splitTestCase(input.stateMachineArn);
    const sm = this.startable(smArn);
    const { text, value } = parseExecutionInput(input.input);
    if (input.name !== undefined) checkName(input.name);
    if (sm.type === 'EXPRESS') {
      const x = this.newExecution(sm, input.name, text, input.traceHeader, true, testCase);
      this.expressRunning.add(x);
      this.launch(x, value);
      return { executionArn: x.executionArn, startDate: new Date(x.startDate) };
    }
    if (input.name !== undefined) {
      const arn = buildExecutionArn(this.scope, sm.name, input.name);
      const existing = this.executions.get(arn);
      if (existing) {
        if (existing.status === 'RUNNING' && existing.input === text && existing.testCase === testCase) {
          return { executionArn: arn, startDate: new Date(existing.startDate) };
        }
        throw apiErrors.executionAlreadyExists(arn);
      }
    }
    const x = this.newExecution(sm, input.name, text, input.traceHeader, false, testCase);
    this.executions.set(x.executionArn, x);
    this.write({ t: 'x', x: executionStart(x) }, 'durable');
    this.launch(x, value);
    return { executionArn: x.executionArn, startDate: new Date(x.startDate) };
  }

  /** Runs an Express execution to its end and answers with its outcome (200 even when it failed). */
  async startSyncExecution(input: T.StartSyncExecutionInput): Promise<T.StartSyncExecutionOutput> {
    const { arn: smArn, testCase } = splitTestCase(input.stateMachineArn);
    const sm = this.startable(smArn);
    if (sm.type !== 'EXPRESS') throw apiErrors.typeNotSupported();
    const { text, value } = parseExecutionInput(input.input);
    if (input.name !== undefined) checkName(input.name);
    const x = this.newExecution(sm, input.name, text, input.traceHeader, true, testCase);
    this.expressRunning.add(x);
    this.launch(x, value);
    await x.settled;
    const stopDate = x.stopDate ?? this.now();
    const duration = Math.max(0, stopDate - x.startDate);
    const metadataOnly = input.includedData === 'METADATA_ONLY';
    return {
      executionArn: x.executionArn,
      stateMachineArn: x.stateMachineArn,
      name: x.name,
      startDate: new Date(x.startDate),
      stopDate: new Date(stopDate),
      status: x.status === 'SUCCEEDED' || x.status === 'TIMED_OUT' ? x.status : 'FAILED',
      ...(x.error !== undefined ? { error: x.error } : {}),
      ...(x.cause !== undefined ? { cause: x.cause } : {}),
      ...(metadataOnly ? {} : { input: x.input }),
      inputDetails: { included: !metadataOnly },
      ...(x.status === 'SUCCEEDED'
        ? { ...(metadataOnly ? {} : { output: x.output }), outputDetails: { included: !metadataOnly } }
        : {}),
      ...(x.traceHeader !== undefined ? { traceHeader: x.traceHeader } : {}),
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(duration / 100) * 100) },
    };
  }

  describeExecution(input: T.DescribeExecutionInput): T.DescribeExecutionOutput {
    const x = this.execution(input.executionArn);
    const metadataOnly = input.includedData === 'METADATA_ONLY';
    const failed = x.status === 'FAILED' || x.status === 'TIMED_OUT' || x.status === 'ABORTED';
    return {
      executionArn: x.executionArn,
      stateMachineArn: x.stateMachineArn,
      name: x.name,
      status: x.status,
      startDate: new Date(x.startDate),
      ...(x.stopDate !== undefined ? { stopDate: new Date(x.stopDate) } : {}),
      ...(metadataOnly ? {} : { input: x.input }),
      inputDetails: { included: !metadataOnly },
      ...(x.status === 'SUCCEEDED'
        ? { ...(metadataOnly ? {} : { output: x.output }), outputDetails: { included: !metadataOnly } }
        : {}),
      ...(x.traceHeader !== undefined ? { traceHeader: x.traceHeader } : {}),
      ...(x.error !== undefined ? { error: x.error } : {}),
      ...(x.cause !== undefined ? { cause: x.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: failed
        ? 'RedriveExecution is not supported by sfn-local'
        : `Execution is ${x.status} and cannot be redriven`,
    };
  }

  /** Executions of a state machine, newest first. */
  listExecutions(input: T.ListExecutionsInput): T.ListExecutionsOutput {
    if (input.mapRunArn !== undefined) {
      if (input.stateMachineArn !== undefined) {
        throw apiErrors.validation(['Only one of stateMachineArn and mapRunArn can be specified']);
      }
      parseArn(input.mapRunArn);
      throw apiErrors.resourceNotFound(input.mapRunArn);
    }
    if (input.stateMachineArn === undefined) {
      throw apiErrors.validation(['Either stateMachineArn or mapRunArn must be specified']);
    }
    const sm = this.machine(input.stateMachineArn);
    if (sm.type === 'EXPRESS') throw apiErrors.typeNotSupported();
    const context = [sm.arn, input.statusFilter ?? '', input.redriveFilter ?? ''].join(HISTORY_CONTEXT_SEPARATOR);
    const before = input.nextToken === undefined ? Infinity : decodeToken(input.nextToken, 'x', context);
    const size = pageSize(input.maxResults);
    const matching: ExecutionEntry[] = [];
    for (const x of this.executions.values()) {
      if (x.stateMachineArn !== sm.arn || x.seq >= before) continue;
      if (input.statusFilter !== undefined && x.status !== input.statusFilter) continue;
      if (input.redriveFilter === 'REDRIVEN') continue;
      matching.push(x);
    }
    matching.sort((a, b) => b.seq - a.seq);
    const page = matching.slice(0, size);
    return {
      executions: page.map((x) => ({
        executionArn: x.executionArn,
        stateMachineArn: x.stateMachineArn,
        name: x.name,
        status: x.status,
        startDate: new Date(x.startDate),
        ...(x.stopDate !== undefined ? { stopDate: new Date(x.stopDate) } : {}),
        redriveCount: 0,
      })),
      ...(matching.length > size ? { nextToken: encodeToken('x', context, page[page.length - 1]!.seq) } : {}),
    };
  }

  /** Stops a running execution (ABORTED); on a closed one, answers with its stop date. */
  async stopExecution(input: T.StopExecutionInput): Promise<T.StopExecutionOutput> {
    const x = this.execution(input.executionArn);
    if (x.status === 'RUNNING' && x.handle) {
      x.handle.stop(input.error, input.cause);
      await withTimeout(x.settled ?? Promise.resolve(), 10_000);
    }
    return { stopDate: new Date(x.stopDate ?? x.clock?.now() ?? this.now()) };
  }

  getExecutionHistory(input: T.GetExecutionHistoryInput): T.GetExecutionHistoryOutput {
    const x = this.execution(input.executionArn);
    const reverse = input.reverseOrder === true;
    const context = [x.executionArn, reverse ? 'r' : 'f'].join(HISTORY_CONTEXT_SEPARATOR);
    const events = x.history;
    const last = events.length;
    let cursor = input.nextToken === undefined ? (reverse ? last : 1) : decodeToken(input.nextToken, 'h', context);
    const size = pageSize(input.maxResults);
    const includeData = input.includeExecutionData !== false;
    const page: T.ApiHistoryEvent[] = [];
    while (page.length < size && cursor >= 1 && cursor <= last) {
      page.push(renderEvent(events.at(cursor - 1), includeData));
      cursor += reverse ? -1 : 1;
    }
    const more = cursor >= 1 && cursor <= last;
    return { events: page, ...(more ? { nextToken: encodeToken('h', context, cursor) } : {}) };
  }

  // ------------------------------------------------------------------ callbacks

  sendTaskSuccess(input: T.SendTaskSuccessInput): Record<string, never> {
    if (Buffer.byteLength(input.output, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw apiErrors.validation([`Value at 'output' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`]);
    }
    const line = { k: input.taskToken, ok: true, output: input.output };
    if (this.deferCallback(line)) return {};
    callbackCall(() => this.callbacks.succeed(input.taskToken, input.output));
    this.journalCallback(line);
    return {};
  }

  sendTaskFailure(input: T.SendTaskFailureInput): Record<string, never> {
    const line = {
      k: input.taskToken,
      ok: false,
      ...(input.error !== undefined ? { error: input.error } : {}),
      ...(input.cause !== undefined ? { cause: input.cause } : {}),
    };
    if (this.deferCallback(line)) return {};
    callbackCall(() => this.callbacks.fail(input.taskToken, input.error, input.cause));
    this.journalCallback(line);
    return {};
  }

  sendTaskHeartbeat(input: T.SendTaskHeartbeatInput): Record<string, never> {
    callbackCall(() => this.callbacks.heartbeat(input.taskToken));
    return {};
  }

  // ------------------------------------------------------------------ definitions

  validateStateMachineDefinition(input: T.ValidateStateMachineDefinitionInput): T.ValidateStateMachineDefinitionOutput {
    const { result, diagnostics } = validate(input.definition, { type: input.type ?? 'STANDARD' });
    const wanted = input.severity === 'WARNING' ? diagnostics : diagnostics.filter((d) => d.severity === 'ERROR');
    const max = pageSize(input.maxResults);
    return {
      result,
      diagnostics: wanted.slice(0, max).map((d) => ({
        severity: d.severity,
        code: d.code,
        message: d.message,
        ...(d.location !== '' ? { location: d.location } : {}),
      })),
      truncated: wanted.length > max,
    };
  }

  /** Runs one state on an input (see test-state.ts for what is and is not modelled). */
  testState(input: T.TestStateInput): Promise<T.TestStateOutput> {
    return runTestState(input, {
      run: (options) => {
        const handle = this.run(options);
        this.testRuns.add(handle);
        void handle.done.finally(() => this.testRuns.delete(handle));
        return handle;
      },
      resolve: this.resolve,
      clock: (startMs) => this.newClock(startMs),
      random: seededRandom(mixSeed(this.seed, 'test-state', this.testRunCount++)),
      region: this.region,
      account: this.account,
      partition: this.scope.partition,
      now: this.now,
    });
  }

  // ------------------------------------------------------------------ tags

  tagResource(input: T.TagResourceInput): Record<string, never> {
    const sm = this.taggable(input.resourceArn);
    sm.tags = mergeTags(sm.tags, input.tags);
    if (sm.tags.length > 50) throw new SfnApiError('TooManyTags', `Too many tags: '${sm.arn}'`, { fields: { resourceName: sm.arn } });
    this.persistMachine(sm);
    return {};
  }

  untagResource(input: T.UntagResourceInput): Record<string, never> {
    const sm = this.taggable(input.resourceArn);
    sm.tags = sm.tags.filter((t) => !input.tagKeys.includes(t.key ?? ''));
    this.persistMachine(sm);
    return {};
  }

  listTagsForResource(input: T.ListTagsForResourceInput): T.ListTagsForResourceOutput {
    return { tags: this.taggable(input.resourceArn).tags.map((t) => ({ ...t })) };
  }

  // ------------------------------------------------------------------ in-process access

  /** The raw history of an execution (timestamps in epoch ms, with `retryDelayMs`). */
  history(executionArn: string): readonly HistoryEvent[] {
    return this.execution(executionArn).history.toArray();
  }

  /** Settles when the execution has ended (its outcome recorded); at once if it has. */
  async waitForExecution(executionArn: string): Promise<T.DescribeExecutionOutput> {
    const x = this.execution(executionArn);
    await x.settled;
    return this.describeExecution({ executionArn });
  }

  /** The clock an execution runs on (virtual-time tests advance it). */
  clockOf(executionArn: string): ExecutionClock | undefined {
    return (this.executions.get(executionArn) ?? [...this.expressRunning].find((x) => x.executionArn === executionArn))?.clock;
  }

  /** Appends an opaque record of another component to the journal (no-op without a data folder). */
  append(kind: string, record: unknown, options?: { durable?: boolean }): void {
    this.journal?.append(kind, record, options);
  }

  /** The opaque records of `kind` found in the journal at start. */
  records(kind: string): unknown[] {
    return this.journal?.records(kind) ?? [];
  }

  /**
   * Stops serving: running executions are halted without recording an end (with a data folder
   * they resume on the next start), the journal is flushed and closed.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.journal?.flush();
    const pending: Promise<unknown>[] = [];
    for (const x of [...this.executions.values(), ...this.expressRunning]) {
      if (x.status === 'RUNNING' && x.handle) {
        x.handle.stop('States.Aborted', 'The local Step Functions service was closed');
        pending.push(x.handle.done);
      }
    }
    for (const h of this.testRuns) {
      h.stop('States.Aborted', 'The local Step Functions service was closed');
      pending.push(h.done);
    }
    await withTimeout(Promise.allSettled(pending), 5_000);
    this.journal?.close();
  }

  // ------------------------------------------------------------------ internals

  private machine(arn: string): StateMachineEntry {
    const { qualifier } = parseStateMachineArn(arn);
    const sm = qualifier === undefined ? this.machines.get(arn) : undefined;
    if (!sm) throw apiErrors.stateMachineDoesNotExist(arn);
    return sm;
  }

  private startable(arn: string): StateMachineEntry {
    const sm = this.machine(arn);
    if (sm.status === 'DELETING') throw apiErrors.stateMachineDeleting(arn);
    return sm;
  }

  private taggable(arn: string): StateMachineEntry {
    const parsed = parseArn(arn);
    const sm = parsed.resourceType === 'stateMachine' ? this.machines.get(arn) : undefined;
    if (!sm) throw apiErrors.resourceNotFound(arn);
    return sm;
  }

  private execution(arn: string): ExecutionEntry {
    parseExecutionArn(arn);
    const x = this.executions.get(arn);
    if (!x) throw apiErrors.executionDoesNotExist(arn);
    return x;
  }

  private runningOf(stateMachineArn: string): number {
    let n = 0;
    for (const x of this.executions.values()) if (x.stateMachineArn === stateMachineArn && x.status === 'RUNNING') n++;
    return n;
  }

  private checkDefinition(definition: string, type: T.StateMachineType): void {
    const { result, diagnostics } = validate(definition, { type });
    if (result === 'FAIL') throw apiErrors.invalidDefinition(new AslValidationError(diagnostics).message);
  }

  private newExecution(
    sm: StateMachineEntry,
    name: string | undefined,
    input: string,
    traceHeader: string | undefined,
    express: boolean,
    testCase: string | undefined,
  ): ExecutionEntry {
    let execName = name;
    let arn: string;
    if (express) {
      execName ??= randomUuid(this.names);
      arn = expressExecutionArn(this.scope, sm.name, execName, randomUuid(this.names));
    } else {
      // A generated name is never one already taken (after a restart the sequence starts over).
      do {
        execName = name ?? randomUuid(this.names);
        arn = buildExecutionArn(this.scope, sm.name, execName);
      } while (name === undefined && this.executions.has(arn));
    }
    const x: ExecutionEntry = {
      seq: 0,
      executionArn: arn,
      stateMachineArn: sm.arn,
      stateMachineName: sm.name,
      name: execName,
      type: sm.type,
      definition: sm.definition,
      roleArn: sm.roleArn,
      input,
      ...(traceHeader !== undefined ? { traceHeader } : {}),
      ...(testCase !== undefined ? { testCase } : {}),
      startDate: this.now(),
      status: 'RUNNING',
      history: new HistoryLog(1, sm.typicalEvents ?? 0),
    };
    x.resolver = this.executionResolver(x);
    x.seq = ++this.seq;
    return x;
  }

  /** The resolver chain of one execution: its own (mock test case) first, then the service's. */
  private executionResolver(x: ExecutionEntry): TaskResolver {
    if (!this.resolverFor) return this.resolve;
    let own: TaskResolver | undefined;
    try {
      own = this.resolverFor({
        stateMachineName: x.stateMachineName,
        executionArn: x.executionArn,
        ...(x.testCase !== undefined ? { testCase: x.testCase } : {}),
      });
    } catch (e) {
      throw apiErrors.validation([e instanceof Error ? e.message : String(e)]);
    }
    if (!own) return this.resolve;
    const base = this.resolve;
    return (invocation) => own(invocation) ?? base(invocation);
  }

  private newClock(startMs: number): ExecutionClock {
    return this.clockMode === 'real' ? createRealClock() : createVirtualClock(startMs);
  }

  /** Hands an execution to the interpreter (from the start, or from `resume`). */
  private launch(x: ExecutionEntry, input: JsonValue, resume?: Checkpoint): void {
    const clock = this.newClock(resume?.at ?? x.startDate);
    x.clock = clock;
    const info: ExecutionInfo = { executionArn: x.executionArn, stateMachineArn: x.stateMachineArn, name: x.name, type: x.type };
    let handle: ExecutionHandle;
    try {
      handle = this.run({
        definition: effectiveDefinition(x.definition, x.type),
        stateMachineArn: x.stateMachineArn,
        executionArn: x.executionArn,
        name: x.name,
        roleArn: x.roleArn,
        input,
        startTime: x.startDate,
        region: this.region,
        account: this.account,
        resolve: x.resolver ?? this.resolve,
        clock,
        random: seededRandom(mixSeed(this.seed, x.executionArn, resume?.lastEventId ?? 0)),
        callbacks: this.callbacks,
        history: x.history,
        // EXPRESS executions are not journaled: without a listener their events are never made.
        ...(x.type === 'STANDARD' || this.onEventHook ? { onEvent: (event: HistoryEvent) => this.recordEvent(x, info, event) } : {}),
        onCheckpoint: (checkpoint) => this.recordCheckpoint(x, checkpoint),
        ...(resume ? { resume } : {}),
      });
    } catch (e) {
      const cause = e instanceof Error ? e.message : String(e);
      x.settled = Promise.resolve().then(() =>
        this.recordOutcome(x, { status: 'FAILED', error: 'States.Runtime', cause, stopDate: clock.now() }),
      );
      return;
    }
    x.handle = handle;
    x.settled = handle.done.then(
      (outcome) => this.recordOutcome(x, outcome),
      (e: unknown) =>
        this.recordOutcome(x, {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: e instanceof Error ? e.message : String(e),
          stopDate: clock.now(),
        }),
    );
  }

  private recordEvent(x: ExecutionEntry, info: ExecutionInfo, event: HistoryEvent): void {
    if (this.closing) return;
    if (x.type === 'STANDARD') this.write({ t: 'ev', a: x.executionArn, e: event }, 'buffered');
    if (this.onEventHook) {
      try {
        this.onEventHook(event, info);
      } catch {
        // a listener's bug must not break the execution
      }
    }
  }

  private recordCheckpoint(x: ExecutionEntry, checkpoint: Checkpoint): void {
    if (this.closing) return;
    const previous = x.checkpoint?.waitingForCallback?.taskToken;
    x.checkpoint = checkpoint;
    const token = checkpoint.waitingForCallback?.taskToken;
    if (previous !== undefined && previous !== token) this.tokenOwners.delete(previous);
    if (token !== undefined) this.tokenOwners.set(token, x.executionArn);
    if (x.type === 'STANDARD') this.write({ t: 'cp', a: x.executionArn, c: checkpoint }, 'durable');
  }

  private recordOutcome(x: ExecutionEntry, outcome: ExecutionOutcome): void {
    if (this.closing) return;
    applyOutcome(x, outcome);
    x.handle = undefined;
    const machine = this.machines.get(x.stateMachineArn);
    if (machine) machine.typicalEvents = x.history.length;
    const token = x.checkpoint?.waitingForCallback?.taskToken;
    if (token !== undefined) this.tokenOwners.delete(token);
    x.checkpoint = undefined;
    if (x.type === 'EXPRESS') {
      this.expressRunning.delete(x);
      return;
    }
    this.write({ t: 'end', a: x.executionArn, o: outcome }, 'durable');
    const sm = this.machines.get(x.stateMachineArn);
    if (sm?.status === 'DELETING' && this.runningOf(sm.arn) === 0) this.removeMachine(sm);
  }

  private journalCallback(line: { k: string; ok: boolean; output?: string; error?: string; cause?: string }): void {
    const owner = this.tokenOwners.get(line.k);
    if (owner !== undefined) this.write({ t: 'cb', a: owner, ...line }, 'durable');
  }

  private removeMachine(sm: StateMachineEntry): void {
    this.machines.delete(sm.arn);
    this.write({ t: 'sm-del', arn: sm.arn }, 'durable');
  }

  private persistMachine(sm: StateMachineEntry): void {
    this.write({ t: 'sm', sm: snapshotOf(sm) }, 'durable');
  }

  private write(line: ServiceLine, mode: 'buffered' | 'durable'): void {
    this.journal?.write(line, mode);
  }

  // ------------------------------------------------------------------ replay

  /** Rebuilds state from the journal and resumes the executions that were running. */
  private replay(journal: Journal): void {
    const seenTokens = new Set<string>();
    let lines = 0;
    for (const raw of journal.replayed) {
      const line = raw as ServiceLine;
      lines++;
      switch (line.t) {
        case 'sm': {
          const existing = this.machines.get(line.sm.arn);
          this.machines.set(line.sm.arn, { ...line.sm, seq: existing?.seq ?? ++this.seq });
          break;
        }
        case 'sm-del':
          this.machines.delete(line.arn);
          break;
        case 'x': {
          const sm = this.machines.get(line.x.stateMachineArn);
          this.executions.set(line.x.executionArn, {
            ...line.x,
            seq: ++this.seq,
            type: sm?.type ?? 'STANDARD',
            status: 'RUNNING',
            history: new HistoryLog(),
          });
          break;
        }
        case 'ev': {
          const x = this.executions.get(line.a);
          if (!x) break;
          x.history.truncate(line.e.id - 1);
          // A journal written by this service has no gaps (lines are appended in order, a crash
          // loses a tail); an event that does not follow the ones before cannot be placed.
          if (line.e.id === x.history.lastEventId + 1) x.history.appendEvent(line.e);
          break;
        }
        case 'rs': {
          const x = this.executions.get(line.a);
          x?.history.truncate(line.l);
          break;
        }
        case 'cp': {
          const x = this.executions.get(line.a);
          if (!x) break;
          x.checkpoint = line.c;
          x.pendingCallback = undefined;
          const token = line.c.waitingForCallback?.taskToken;
          if (token !== undefined) seenTokens.add(token);
          break;
        }
        case 'cb': {
          const x = this.executions.get(line.a);
          if (x && x.checkpoint?.waitingForCallback?.taskToken === line.k) x.pendingCallback = line;
          break;
        }
        case 'end': {
          const x = this.executions.get(line.a);
          if (!x) break;
          applyOutcome(x, line.o);
          x.checkpoint = undefined;
          x.pendingCallback = undefined;
          break;
        }
        default:
          break;
      }
    }
    // Executions started under a state machine snapshot that was later replaced keep their type.
    const running = [...this.executions.values()].filter((x) => x.status === 'RUNNING');
    if (lines > 2_000 && lines > 2 * this.liveLineCount()) journal.rewrite(this.liveLines(journal));
    journal.releaseReplay();

    // Tokens of tasks that ended before the restart answer TaskTimedOut, as before it.
    const resumedTokens = new Set(running.map((x) => x.checkpoint?.waitingForCallback?.taskToken));
    for (const token of seenTokens) if (!resumedTokens.has(token)) this.callbacks.markClosed(token);

    for (const x of running) this.resume(x);
  }

  private resume(x: ExecutionEntry): void {
    const checkpoint = x.checkpoint;
    const keep = checkpoint?.lastEventId ?? 0;
    x.history.truncate(keep);
    this.write({ t: 'rs', a: x.executionArn, l: keep }, 'buffered');
    let input: JsonValue;
    try {
      input = JSON.parse(x.input) as JsonValue;
    } catch {
      input = {};
    }
    try {
      x.resolver = this.executionResolver(x);
    } catch {
      x.resolver = this.resolve;
    }
    const token = checkpoint?.waitingForCallback?.taskToken;
    if (token !== undefined) {
      this.tokenOwners.set(token, x.executionArn);
      this.reopening.add(token);
    }
    this.launch(x, input, checkpoint);
    if (token !== undefined) void this.watchReopen(x, token);
  }

  /**
   * After a restart the resumed engine re-opens the task token of a waiting task shortly after
   * it is launched. Until then a callback for it is acknowledged and kept (`pendingCallback`: one
   * from the journal, or one received meanwhile); it is delivered as soon as the token is open.
   */
  private async watchReopen(x: ExecutionEntry, token: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    try {
      for (let i = 0; x.status === 'RUNNING' && !this.closing && Date.now() < deadline; i++) {
        if (this.callbacks.isOpen(token)) {
          const line = x.pendingCallback;
          x.pendingCallback = undefined;
          this.reopening.delete(token);
          if (line?.k !== token) return;
          try {
            if (line.ok) this.callbacks.succeed(token, line.output ?? 'null');
            else this.callbacks.fail(token, line.error, line.cause);
          } catch {
            // the task ended some other way meanwhile
          }
          return;
        }
        if (x.checkpoint?.waitingForCallback?.taskToken !== token) return;
        await new Promise<void>((resolve) => (i < 1000 ? setImmediate(resolve) : setTimeout(resolve, 5)));
      }
    } finally {
      this.reopening.delete(token);
    }
  }

  /**
   * A callback for a token a resumed task has not re-opened yet: acknowledged now (journaled) and
   * delivered by {@link watchReopen}. Returns false when that is not the case.
   */
  private deferCallback(line: { k: string; ok: boolean; output?: string; error?: string; cause?: string }): boolean {
    if (!this.reopening.has(line.k) || this.callbacks.isOpen(line.k)) return false;
    const owner = this.tokenOwners.get(line.k);
    const x = owner === undefined ? undefined : this.executions.get(owner);
    if (!x || x.status !== 'RUNNING') return false;
    if (x.pendingCallback?.k === line.k) {
      throw new SfnApiError('TaskTimedOut', 'Task Timed Out: the task token has expired or the task is already closed');
    }
    if (line.ok) {
      try {
        JSON.parse(line.output ?? '');
      } catch {
        throw new SfnApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
      }
    }
    const cb = { t: 'cb' as const, a: x.executionArn, ...line };
    this.write(cb, 'durable');
    x.pendingCallback = cb;
    return true;
  }

  private liveLineCount(): number {
    let n = this.machines.size;
    for (const x of this.executions.values()) n += 3 + x.history.length;
    return n;
  }

  /** The journal's content as it needs to be: the lines that still matter, for compaction. */
  private *liveLines(journal: Journal): Generator<ServiceLine | { t: 'rec'; kind: string; r: unknown }> {
    for (const raw of journal.replayed) if (raw.t === 'rec') yield raw as { t: 'rec'; kind: string; r: unknown };
    for (const sm of [...this.machines.values()].sort((a, b) => a.seq - b.seq)) yield { t: 'sm', sm: snapshotOf(sm) };
    for (const x of [...this.executions.values()].sort((a, b) => a.seq - b.seq)) {
      yield { t: 'x', x: executionStart(x) };
      const keep = x.status === 'RUNNING' ? (x.checkpoint?.lastEventId ?? 0) : x.history.length;
      for (const e of x.history.toArray(0, keep)) yield { t: 'ev', a: x.executionArn, e };
      if (x.status === 'RUNNING') {
        if (x.checkpoint) yield { t: 'cp', a: x.executionArn, c: x.checkpoint };
        if (x.pendingCallback) yield x.pendingCallback;
      } else {
        yield { t: 'end', a: x.executionArn, o: outcomeOf(x) };
      }
    }
  }
}

// ---------------------------------------------------------------------- helpers


function callbackCall(call: () => void): void {
  try {
    call();
  } catch (e) {
    if (e instanceof CallbackApiError) throw new SfnApiError(e.name, e.message);
    throw e;
  }
}

function parseExecutionInput(input: string | undefined): { text: string; value: JsonValue } {
  const text = input ?? '{}';
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw apiErrors.validation([
      `Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
    ]);
  }
  if (text.trim() === '') throw apiErrors.invalidExecutionInput('Invalid execution input.');
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw apiErrors.invalidExecutionInput(e instanceof Error ? e.message : 'Invalid execution input.');
  }
  // A guard of this engine: every state's data is copied and serialized recursively, and a 12 KB
  // input nested 6,000 deep would overflow the stack (AWS's own parser also caps nesting).
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) throw apiErrors.invalidExecutionInput(`the input nests deeper than ${MAX_JSON_DEPTH} levels`);
  return { text, value };
}

function checkRoleArn(roleArn: string): void {
  if (!/^arn:aws(-[a-z]+)*:iam::\d*:role\//.test(roleArn)) {
    throw apiErrors.invalidArn(`Invalid ARN prefix: ${roleArn}`);
  }
}

/**
 * The definition the interpreter runs: an Express machine's TimeoutSeconds capped at 5 minutes
 * (set when absent), a Standard machine's at one year. Parsed once per definition text and type,
 * then shared by the executions that run it (the interpreter never changes it): what it works
 * out per state (task plans, compiled templates, parsed paths) is kept by the state objects, so
 * a new parse for every execution worked all of it out again.
 */
function effectiveDefinition(text: string, type: T.StateMachineType): StateMachineDefinition {
  const key = `${type}\n${text}`;
  let definition = definitions.get(key);
  if (!definition) {
    definition = parseEffectiveDefinition(text, type);
    if (definitions.size >= MAX_DEFINITIONS) definitions.clear();
    definitions.set(key, definition);
  }
  return definition;
}

function parseEffectiveDefinition(text: string, type: T.StateMachineType): StateMachineDefinition {
  const definition = JSON.parse(text) as StateMachineDefinition & { TimeoutSeconds?: number };
  const max = MAX_EXECUTION_SECONDS[type];
  const set = typeof definition.TimeoutSeconds === 'number';
  if ((set && definition.TimeoutSeconds! > max) || (!set && type === 'EXPRESS')) return { ...definition, TimeoutSeconds: max };
  return definition;
}

/** Parsed definitions by type and text; cleared when full (a test run creates machines by the hundred). */
const definitions = new Map<string, StateMachineDefinition>();
const MAX_DEFINITIONS = 256;

function applyOutcome(x: ExecutionEntry, outcome: ExecutionOutcome): void {
  x.status = outcome.status;
  x.stopDate = outcome.stopDate;
  if (outcome.status === 'SUCCEEDED') {
    x.output = JSON.stringify(outcome.output ?? null);
  } else {
    if (outcome.error !== undefined) x.error = outcome.error;
    if (outcome.cause !== undefined) x.cause = outcome.cause;
  }
}

function outcomeOf(x: ExecutionEntry): ExecutionOutcome {
  const stopDate = x.stopDate ?? x.startDate;
  if (x.status === 'SUCCEEDED') return { status: 'SUCCEEDED', output: JSON.parse(x.output ?? 'null') as JsonValue, stopDate };
  return {
    status: x.status === 'RUNNING' || x.status === 'PENDING_REDRIVE' ? 'ABORTED' : x.status,
    ...(x.error !== undefined ? { error: x.error } : {}),
    ...(x.cause !== undefined ? { cause: x.cause } : {}),
    stopDate,
  };
}

function executionStart(x: ExecutionEntry): ExecutionStart {
  return {
    executionArn: x.executionArn,
    stateMachineArn: x.stateMachineArn,
    stateMachineName: x.stateMachineName,
    name: x.name,
    definition: x.definition,
    roleArn: x.roleArn,
    input: x.input,
    ...(x.traceHeader !== undefined ? { traceHeader: x.traceHeader } : {}),
    ...(x.testCase !== undefined ? { testCase: x.testCase } : {}),
    startDate: x.startDate,
  };
}

/** `<stateMachineArn>#<testCase>` (Step Functions Local's way to pick a mock test case). */
function splitTestCase(arn: string): { arn: string; testCase?: string } {
  const i = arn.indexOf('#');
  return i < 0 ? { arn } : { arn: arn.slice(0, i), testCase: arn.slice(i + 1) };
}

function snapshotOf(sm: StateMachineEntry): StateMachineSnapshot {
  const { seq: _seq, typicalEvents: _typicalEvents, ...snapshot } = sm;
  return snapshot;
}

/** A history event for the API: `Date` timestamp, no engine-only members, data left out on request. */
function renderEvent(event: HistoryEvent, includeData: boolean): T.ApiHistoryEvent {
  const { retryDelayMs: _delay, timestamp, ...rest } = event;
  const out: Record<string, unknown> = { timestamp: new Date(timestamp) };
  for (const [key, value] of Object.entries(rest)) {
    if (!includeData && key.endsWith('EventDetails') && value && typeof value === 'object') {
      const { input: _i, output: _o, ...details } = value as Record<string, unknown>;
      out[key] = details;
    } else {
      out[key] = value;
    }
  }
  return out as T.ApiHistoryEvent;
}

function normalizeLogging(config: T.LoggingConfiguration | undefined): T.LoggingConfiguration {
  return {
    level: config?.level ?? 'OFF',
    includeExecutionData: config?.includeExecutionData ?? false,
    ...(config?.destinations && config.destinations.length > 0 ? { destinations: config.destinations } : {}),
  };
}

function normalizeTracing(config: T.TracingConfiguration | undefined): T.TracingConfiguration {
  return { enabled: config?.enabled ?? false };
}

function normalizeEncryption(config: T.EncryptionConfiguration | undefined): T.EncryptionConfiguration {
  return config ?? { type: 'AWS_OWNED_KEY' };
}

function mergeTags(existing: T.Tag[], added: T.Tag[]): T.Tag[] {
  const byKey = new Map(existing.map((t) => [t.key ?? '', t]));
  for (const t of added) byKey.set(t.key ?? '', { key: t.key ?? '', value: t.value ?? '' });
  return [...byKey.values()];
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      timer.unref();
    }),
  ]);
  if (timer) clearTimeout(timer);
}
