import type { JsonataExpression, Path, ReferencePath } from '../definition/paths.js';
import type { Branch, NestedChoiceRule, PayloadTemplate, Retrier } from '../definition/states.js';
import type { JsonPathInvocation } from '../builder/integrations/invocation.js';

/** What the saga does when an error reaches a step's Catch (directly, or after its retries). */
export type ErrorDisposition = 'compensate' | 'escalate' | 'terminal';

/**
 * The error taxonomy the saga is built from, keyed by ASL error name. `compensate` errors run the
 * compensations of the committed steps; everything else (declared `escalate` or undeclared) goes
 * to analysis and human review. `@saga/contracts` exports one that fits.
 */
export type ErrorTaxonomy<E extends string> = Readonly<
  Record<E, { readonly retriable: boolean; readonly onFailure: ErrorDisposition }>
>;

/** A Task the saga places: what it invokes and its error policy. */
export interface SagaTask<E extends string> {
  /** The state name, e.g. `ChargePayment`. */
  name: string;
  /** A JSONPath integration, e.g. `lambdaInvoke({...})`. */
  invoke: JsonPathInvocation;
  retry?: readonly Retrier<E>[];
  /** Every task has a timeout: a stuck integration must not hold the order forever. */
  timeoutSeconds: number;
  heartbeatSeconds?: number;
  resultSelector?: PayloadTemplate;
  /** Where the result goes in the saga's data. @default `$.<name>` for steps, `null` for compensations */
  resultPath?: ReferencePath | null;
  comment?: string;
  branch?: never;
}

/**
 * A step or compensation made of several states (a branch built with `branch()`): say, a Lambda call
 * with DynamoDB reads and writes around it. The saga places it as a one-branch Parallel state named
 * after the step, with the step's Retry and Catch, so compensation, review retries and the plan treat
 * it exactly like a Task. An error inside the branch reaches the Catch under its own name and cause.
 * Names inside the branch must be unique in the whole machine; where a compensation is placed more than
 * once (parallel compensations), each copy's names get the suffix `Through<Step>` (and a compensation
 * with a Retry keeps it on a one-branch Parallel named `<name>Through<Step>`).
 */
export interface SagaSubflow<E extends string> {
  /** The Parallel state's name, e.g. `ChargePayment`. */
  name: string;
  /** The states; each Task inside has its own TimeoutSeconds (a Parallel state has none). */
  branch: Branch<E>;
  /** Retrying a Parallel re-runs the whole branch: prefer Retry on the Tasks inside. */
  retry?: readonly Retrier<E>[];
  /**
   * Applied to the Parallel's result (an array holding the branch's output).
   * @default `{ 'Payload.$': '$[0]' }`: the branch's output under `Payload`, where a Lambda step's
   *   `LAMBDA_PAYLOAD_ONLY` leaves a function's output, so the two kinds of step read alike
   */
  resultSelector?: PayloadTemplate;
  /** Where the result goes in the saga's data. @default `$.<name>` for steps, `null` for compensations */
  resultPath?: ReferencePath | null;
  comment?: string;
  invoke?: never;
}

/** What a step or compensation runs: one Task, or a branch of states. */
export type SagaAction<E extends string> = SagaTask<E> | SagaSubflow<E>;

/** One forward step and the compensation that undoes it once it has committed. */
export type SagaStep<E extends string> = SagaAction<E> & {
  compensation?: SagaAction<E>;
};

/** The ResultSelector of a subflow step by default: the branch's output under `Payload`. */
export const SUBFLOW_PAYLOAD_ONLY = { 'Payload.$': '$[0]' } as const satisfies PayloadTemplate;

export function isSubflow<E extends string>(action: SagaAction<E>): action is SagaSubflow<E> {
  return action.branch !== undefined;
}

export interface SagaReview {
  /** @default 'WaitForHumanReview' */
  name?: string;
  /** The review queue; the message carries the task token. */
  queueUrl: string;
  /** Extra fields for the review message (e.g. `{ 'orderId.$': '$.order.orderId' }`); no PII. */
  context?: PayloadTemplate;
  /** How long a review may take before the saga compensates. */
  timeoutSeconds: number;
  heartbeatSeconds?: number;
  /** @default 'ChooseAfterReview' */
  choiceName?: string;
}

export interface SagaInputCheck<E extends string> {
  /** @default 'CheckInput' (the Choice) and 'InputRejected' (its Fail) */
  name?: string;
  rejectedName?: string;
  /**
   * What a valid input satisfies: a JSONPath Choice rule without `Next`, or a JSONata condition
   * (`{% ... %}` over `$states.input`, for checks JSONPath rules cannot express, such as a pattern; the
   * Choice is then a JSONata state).
   */
  condition: NestedChoiceRule | JsonataExpression;
  error: E;
  cause: string;
}

export interface SagaProps<E extends string> {
  comment?: string;
  /** Execution timeout of the whole saga. */
  timeoutSeconds?: number;
  errors: ErrorTaxonomy<E>;
  steps: readonly [SagaStep<E>, ...SagaStep<E>[]];
  /**
   * `sequential` runs the committed steps' compensations in reverse order; `parallel` runs them
   * together in a Parallel state (for compensations that are independent of each other).
   * @default 'sequential'
   */
  compensation?: 'sequential' | 'parallel';
  /** Analyses errors outside the taxonomy before review. Result at `$.analysis`. */
  analysis: SagaTask<E>;
  review: SagaReview;
  /** Notification after the last step (its failure does not fail the order). */
  onSuccess?: SagaTask<E>;
  /** Notification before the final Fail (its failure does not block failing). */
  onFailure?: SagaTask<E>;
  /** The error of the final Fail state. @default 'OrderFulfillmentFailed' */
  failError?: string;
  /**
   * Checked before the first step: an input that does not pass ends the execution at once with
   * `error` (nothing ran, so nothing to compensate). Without it, an input lacking what the steps'
   * paths read fails with `States.Runtime`, which no Catch sees.
   */
  inputCheck?: SagaInputCheck<E>;
  /** State names of the ends. @default { succeeded: 'Fulfilled', failed: 'OrderFulfillmentFailed' } */
  names?: { succeeded?: string; failed?: string; compensateFailedStep?: string };
}

/** Where the saga keeps the error of the last failure. */
export const ERROR_INFO_PATH: Path = '$.errorInfo';
/** The variable naming the state whose failure is under review. */
export const FAILED_STEP_VARIABLE = 'failedStep';
