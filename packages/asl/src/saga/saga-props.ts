import type { Path, ReferencePath } from '../definition/paths.js';
import type { NestedChoiceRule, PayloadTemplate, Retrier } from '../definition/states.js';
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
}

/** One forward step and the compensation that undoes it once it has committed. */
export interface SagaStep<E extends string> extends SagaTask<E> {
  compensation?: SagaTask<E>;
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
  /** What a valid input satisfies (a JSONPath Choice rule without `Next`). */
  condition: NestedChoiceRule;
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
