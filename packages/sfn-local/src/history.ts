/**
 * Execution history events, shaped as GetExecutionHistory returns them: `type`, `id`,
 * `previousEventId`, `timestamp` and the one `<x>EventDetails` member that type carries.
 */

/** Whether a text field was cut to fit (`truncated`) or left out on request (`included`). */
export interface Included {
  truncated?: boolean;
  included?: boolean;
}

export interface StateEnteredDetails {
  name: string;
  input?: string;
  inputDetails?: Included;
}
export interface StateExitedDetails {
  name: string;
  output?: string;
  outputDetails?: Included;
  assignedVariables?: Record<string, string>;
  assignedVariablesDetails?: Included;
}
export interface ErrorDetails {
  error?: string;
  cause?: string;
}
export interface TaskDetails {
  resourceType: string;
  resource: string;
}

/** Event type -> its details member (undefined: the type carries none). */
export interface HistoryEventDetailsByType {
  ExecutionStarted: { executionStartedEventDetails: { input?: string; inputDetails?: Included; roleArn?: string } };
  ExecutionSucceeded: { executionSucceededEventDetails: { output?: string; outputDetails?: Included } };
  ExecutionFailed: { executionFailedEventDetails: ErrorDetails };
  ExecutionAborted: { executionAbortedEventDetails: ErrorDetails };
  ExecutionTimedOut: { executionTimedOutEventDetails: ErrorDetails };

  TaskStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  TaskStateExited: { stateExitedEventDetails: StateExitedDetails };
  TaskStateAborted: Record<never, never>;
  PassStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  PassStateExited: { stateExitedEventDetails: StateExitedDetails };
  ChoiceStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  ChoiceStateExited: { stateExitedEventDetails: StateExitedDetails };
  WaitStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  WaitStateExited: { stateExitedEventDetails: StateExitedDetails };
  WaitStateAborted: Record<never, never>;
  SucceedStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  SucceedStateExited: { stateExitedEventDetails: StateExitedDetails };
  FailStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  ParallelStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  ParallelStateStarted: Record<never, never>;
  ParallelStateSucceeded: Record<never, never>;
  ParallelStateFailed: Record<never, never>;
  ParallelStateAborted: Record<never, never>;
  ParallelStateExited: { stateExitedEventDetails: StateExitedDetails };
  MapStateEntered: { stateEnteredEventDetails: StateEnteredDetails };
  MapStateStarted: { mapStateStartedEventDetails: { length: number } };
  MapStateSucceeded: Record<never, never>;
  MapStateFailed: Record<never, never>;
  MapStateAborted: Record<never, never>;
  MapStateExited: { stateExitedEventDetails: StateExitedDetails };
  MapIterationStarted: { mapIterationStartedEventDetails: { name: string; index: number } };
  MapIterationSucceeded: { mapIterationSucceededEventDetails: { name: string; index: number } };
  MapIterationFailed: { mapIterationFailedEventDetails: { name: string; index: number } };
  MapIterationAborted: { mapIterationAbortedEventDetails: { name: string; index: number } };

  TaskScheduled: {
    taskScheduledEventDetails: TaskDetails & {
      region: string;
      parameters: string;
      timeoutInSeconds?: number;
      heartbeatInSeconds?: number;
    };
  };
  TaskStarted: { taskStartedEventDetails: TaskDetails };
  TaskSubmitted: { taskSubmittedEventDetails: TaskDetails & { output?: string; outputDetails?: Included } };
  TaskSucceeded: { taskSucceededEventDetails: TaskDetails & { output?: string; outputDetails?: Included } };
  TaskFailed: { taskFailedEventDetails: TaskDetails & ErrorDetails };
  TaskTimedOut: { taskTimedOutEventDetails: TaskDetails & ErrorDetails };

  LambdaFunctionScheduled: {
    lambdaFunctionScheduledEventDetails: { resource: string; input?: string; inputDetails?: Included; timeoutInSeconds?: number };
  };
  LambdaFunctionStarted: Record<never, never>;
  LambdaFunctionSucceeded: { lambdaFunctionSucceededEventDetails: { output?: string; outputDetails?: Included } };
  LambdaFunctionFailed: { lambdaFunctionFailedEventDetails: ErrorDetails };
  LambdaFunctionTimedOut: { lambdaFunctionTimedOutEventDetails: ErrorDetails };

  EvaluationFailed: { evaluationFailedEventDetails: ErrorDetails & { location?: string; state: string } };
}

export type HistoryEventType = keyof HistoryEventDetailsByType;

/**
 * One event. `retryDelayMs` is ours, not AWS's: on the event that schedules a retry it records
 * the computed (jittered) backoff, so tests and tools can see each retry's delay.
 */
export type HistoryEvent = {
  [T in HistoryEventType]: {
    type: T;
    id: number;
    previousEventId: number;
    /** Epoch milliseconds (the API renders epoch seconds). */
    timestamp: number;
    retryDelayMs?: number;
  } & HistoryEventDetailsByType[T];
}[HistoryEventType];

/** What a state-entered/exited event is called for each state type. */
export const STATE_EVENT_PREFIX = {
  Task: 'Task',
  Pass: 'Pass',
  Choice: 'Choice',
  Wait: 'Wait',
  Succeed: 'Succeed',
  Fail: 'Fail',
  Parallel: 'Parallel',
  Map: 'Map',
} as const;
