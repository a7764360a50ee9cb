import type { Checkpoint, ExecutionOutcome } from '../engine/execution-types.js';
import type { HistoryEvent } from '../history.js';
import type { EncryptionConfiguration, LoggingConfiguration, StateMachineType, Tag, TracingConfiguration } from '../service/types.js';

/** The journal lines the service writes (see Journal for the file format). */

/** A state machine as stored: written whole on create, update, tag changes and DELETING. */
export interface StateMachineSnapshot {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  status: 'ACTIVE' | 'DELETING';
  /** Epoch ms. */
  creationDate: number;
  /** Epoch ms of the last update (creation date until updated). */
  updateDate: number;
  revisionId?: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  encryptionConfiguration: EncryptionConfiguration;
  tags: Tag[];
}

/** What an execution was started with (enough to resume it after a restart). */
export interface ExecutionStart {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  /** The definition and role at start (UpdateStateMachine does not affect running executions). */
  definition: string;
  roleArn: string;
  /** The input string as given. */
  input: string;
  traceHeader?: string;
  /** The mock test case (`<stateMachineArn>#<testCase>`), if any. */
  testCase?: string;
  /** Epoch ms. */
  startDate: number;
}

export type ServiceLine =
  | { t: 'sm'; sm: StateMachineSnapshot }
  | { t: 'sm-del'; arn: string }
  | { t: 'x'; x: ExecutionStart }
  | { t: 'ev'; a: string; e: HistoryEvent }
  | { t: 'cp'; a: string; c: Checkpoint }
  /** The engine resumed an execution from event `l` (later events of an earlier run are void). */
  | { t: 'rs'; a: string; l: number }
  /** An acknowledged SendTaskSuccess (`ok`) or SendTaskFailure for the task token `k`. */
  | { t: 'cb'; a: string; k: string; ok: boolean; output?: string; error?: string; cause?: string }
  | { t: 'end'; a: string; o: ExecutionOutcome };
