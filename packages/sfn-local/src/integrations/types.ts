import type { JsonValue } from '@saga/asl';

/** A Task `Resource`, parsed. */
export type ParsedResource =
  /** `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]` (optimized integrations) */
  | { kind: 'integration'; service: string; action: string; pattern: IntegrationPattern }
  /** `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]` */
  | { kind: 'aws-sdk'; service: string; action: string; pattern: IntegrationPattern }
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]`: legacy direct invocation */
  | { kind: 'lambda-function'; functionArn: string; functionName: string }
  /** `arn:aws:states:<region>:<account>:activity:<name>` */
  | { kind: 'activity'; activityArn: string }
  | { kind: 'unknown' };

export type IntegrationPattern = 'requestResponse' | 'sync' | 'sync:2' | 'waitForTaskToken';

/** Who is running, for integrations that add execution context (EventBridge `Resources`, logs). */
export interface ExecutionIdentity {
  executionArn: string;
  executionName: string;
  stateMachineArn: string;
  region: string;
  account: string;
}

/** One attempt of one Task state, as an integration sees it. */
export interface TaskInvocation {
  resource: string;
  parsed: ParsedResource;
  /** The effective input: Parameters or Arguments already evaluated. */
  input: JsonValue;
  stateName: string;
  /** 0 for the first attempt, then 1, 2, ... (`$$.State.RetryCount`). */
  attempt: number;
  execution: ExecutionIdentity;
  /** Present for `.waitForTaskToken` resources. */
  taskToken?: string;
  /** Aborted when the task times out, the execution stops, or a sibling branch fails. */
  signal: AbortSignal;
  /**
   * True when the caller (the engine) abandons the pending result itself on abort, so a resolver
   * need not race its work against `signal` (it still passes `signal` on for cooperative stops).
   */
  abandonedByCaller?: boolean;
  /** The execution's clock: handlers that simulate slowness sleep here (virtual time aware). */
  sleep(ms: number): Promise<void>;
  now(): number;
  /** True when the execution runs on wall-clock time (`clock: 'real'`), not virtual time. */
  readonly realTime?: boolean;
}

/**
 * Resolves a Task invocation to its result (the raw task result, before ResultSelector), or
 * throws a StatesError (`Error`/`Cause`). Returns `undefined` when it does not handle this
 * resource, so resolvers can be chained; the engine fails the task with a clear
 * `States.Runtime` when none does.
 */
export type TaskResolver = (invocation: TaskInvocation) => Promise<JsonValue> | undefined;

/**
 * A result that completes a `.waitForTaskToken` task at once, as Step Functions Local does for a
 * mocked callback task: the engine takes it as the task's result instead of waiting for the token.
 */
export interface CompletedCallback {
  readonly completesCallback: true;
  readonly output: JsonValue;
}

const COMPLETED = new WeakSet<object>();

export function completedCallback(output: JsonValue): JsonValue {
  const box: CompletedCallback = { completesCallback: true, output };
  COMPLETED.add(box);
  return box as unknown as JsonValue;
}

export function isCompletedCallback(value: unknown): value is CompletedCallback {
  return typeof value === 'object' && value !== null && COMPLETED.has(value);
}
