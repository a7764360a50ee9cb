import type { JsonValue, StateMachineDefinition } from '@saga/asl';
import type { ExecutionClock } from '../clock.js';
import type { HistoryEvent } from '../history.js';
import type { HistoryLog } from '../history-log.js';
import type { TaskResolver } from '../integrations/types.js';
import type { Random } from '../random.js';
import type { CallbackRegistry } from './callbacks.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export type ExecutionOutcome =
  | { status: 'SUCCEEDED'; output: JsonValue; stopDate: number }
  | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error?: string; cause?: string; stopDate: number };

/**
 * Where a restarted engine picks an execution up: a top-level state about to be entered with its
 * input and the variables in scope, or a callback task still waiting for its token (the token
 * stays valid across the restart).
 */
export interface Checkpoint {
  stateName: string;
  input: JsonValue;
  variables: Record<string, JsonValue>;
  /** Id of the last history event written before this checkpoint. */
  lastEventId: number;
  /** State transitions so far (for billing figures). */
  transitions: number;
  /** Virtual (or real) time of the checkpoint, epoch ms. */
  at: number;
  waitingForCallback?: {
    taskToken: string;
    /** The effective input the task was invoked with, and its retry bookkeeping. */
    effectiveInput: JsonValue;
    attempt: number;
    retryCounts: number[];
    enteredTime: number;
    /** Absolute deadlines (epoch ms) still pending, if the task had TimeoutSeconds/HeartbeatSeconds. */
    timeoutAt?: number;
    heartbeatSeconds?: number;
  };
}

export interface ExecutionOptions {
  definition: StateMachineDefinition;
  stateMachineArn: string;
  executionArn: string;
  name: string;
  roleArn: string;
  input: JsonValue;
  /** Epoch ms the execution started (and virtual time's origin). */
  startTime: number;
  region: string;
  account: string;
  resolve: TaskResolver;
  clock: ExecutionClock;
  random: Random;
  callbacks: CallbackRegistry;
  /** The execution's history: the engine appends every event to it. */
  history: HistoryLog;
  /** Told of every history event, in order, as it happens. */
  onEvent?(event: HistoryEvent): void;
  /** Called at every top-level transition and when a callback task starts waiting. */
  onCheckpoint?(checkpoint: Checkpoint): void;
  /** Continue from a checkpoint instead of from StartAt (after a restart). */
  resume?: Checkpoint;
}

export interface ExecutionHandle {
  readonly executionArn: string;
  readonly clock: ExecutionClock;
  /** Settles when the execution ends; never rejects. */
  readonly done: Promise<ExecutionOutcome>;
  /** StopExecution: aborts running work and ends as ABORTED. */
  stop(error?: string, cause?: string): void;
}
