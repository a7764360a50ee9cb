/**
 * Inputs and outputs of the operations, in the shapes of `@aws-sdk/client-sfn` (timestamps are
 * `Date`s; the HTTP layer renders them as epoch seconds).
 */

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type StateMachineStatus = 'ACTIVE' | 'DELETING';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
export type IncludedData = 'ALL_DATA' | 'METADATA_ONLY';

export interface LoggingConfiguration {
  level?: LogLevel;
  includeExecutionData?: boolean;
  destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[];
}

export interface TracingConfiguration {
  enabled?: boolean;
}

export interface EncryptionConfiguration {
  type: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KMS_KEY';
  kmsKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
}

export interface Tag {
  key?: string;
  value?: string;
}

// ---- state machines ----

export interface CreateStateMachineInput {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  loggingConfiguration?: LoggingConfiguration;
  tags?: Tag[];
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}
export interface CreateStateMachineOutput {
  stateMachineArn: string;
  creationDate: Date;
}

export interface DescribeStateMachineInput {
  stateMachineArn: string;
  includedData?: IncludedData;
}
export interface DescribeStateMachineOutput {
  stateMachineArn: string;
  name: string;
  status: StateMachineStatus;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: Date;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  encryptionConfiguration: EncryptionConfiguration;
  revisionId?: string;
}

export interface ListStateMachinesInput {
  maxResults?: number;
  nextToken?: string;
}
export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: Date;
}
export interface ListStateMachinesOutput {
  stateMachines: StateMachineListItem[];
  nextToken?: string;
}

export interface UpdateStateMachineInput {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}
export interface UpdateStateMachineOutput {
  updateDate: Date;
  revisionId: string;
}

export interface DeleteStateMachineInput {
  stateMachineArn: string;
}

export interface DescribeStateMachineForExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
}
export interface DescribeStateMachineForExecutionOutput {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  updateDate: Date;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: TracingConfiguration;
  encryptionConfiguration: EncryptionConfiguration;
  revisionId?: string;
}

// ---- executions ----

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
}
export interface StartExecutionOutput {
  executionArn: string;
  startDate: Date;
}

export interface StartSyncExecutionInput extends StartExecutionInput {
  includedData?: IncludedData;
}
export interface StartSyncExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: Date;
  stopDate: Date;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
  input?: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  traceHeader?: string;
  billingDetails: { billedMemoryUsedInMB: number; billedDurationInMilliseconds: number };
}

export interface DescribeExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
}
export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input?: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  traceHeader?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
}

export interface ListExecutionsInput {
  stateMachineArn?: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
  mapRunArn?: string;
  redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN';
}
export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  redriveCount: number;
}
export interface ListExecutionsOutput {
  executions: ExecutionListItem[];
  nextToken?: string;
}

export interface StopExecutionInput {
  executionArn: string;
  error?: string;
  cause?: string;
}
export interface StopExecutionOutput {
  stopDate: Date;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  reverseOrder?: boolean;
  nextToken?: string;
  includeExecutionData?: boolean;
}
/** A history event as the API returns it: our HistoryEvent with a `Date` timestamp. */
export type ApiHistoryEvent = Record<string, unknown> & {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
};
export interface GetExecutionHistoryOutput {
  events: ApiHistoryEvent[];
  nextToken?: string;
}

// ---- callbacks ----

export interface SendTaskSuccessInput {
  taskToken: string;
  output: string;
}
export interface SendTaskFailureInput {
  taskToken: string;
  error?: string;
  cause?: string;
}
export interface SendTaskHeartbeatInput {
  taskToken: string;
}

// ---- definitions ----

export interface ValidateStateMachineDefinitionInput {
  definition: string;
  type?: StateMachineType;
  severity?: 'ERROR' | 'WARNING';
  maxResults?: number;
}
export interface ValidateStateMachineDefinitionDiagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}
export interface ValidateStateMachineDefinitionOutput {
  result: 'OK' | 'FAIL';
  diagnostics: ValidateStateMachineDefinitionDiagnostic[];
  truncated: boolean;
}

export interface TestStateInput {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: 'INFO' | 'DEBUG' | 'TRACE';
  revealSecrets?: boolean;
  variables?: string;
  stateName?: string;
  mock?: {
    result?: string;
    errorOutput?: { error?: string; cause?: string };
    fieldValidationMode?: 'STRICT' | 'PRESENT' | 'NONE';
  };
  context?: string;
  stateConfiguration?: { retrierRetryCount?: number; errorCausedByState?: string; mapIterationFailureCount?: number };
}
export interface TestStateOutput {
  status: 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
  output?: string;
  error?: string;
  cause?: string;
  nextState?: string;
  inspectionData?: { input?: string; variables?: string };
}

// ---- tags ----

export interface TagResourceInput {
  resourceArn: string;
  tags: Tag[];
}
export interface UntagResourceInput {
  resourceArn: string;
  tagKeys: string[];
}
export interface ListTagsForResourceInput {
  resourceArn: string;
}
export interface ListTagsForResourceOutput {
  tags: Tag[];
}
