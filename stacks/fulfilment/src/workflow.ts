import {
  LAMBDA_PAYLOAD_ONLY,
  lambdaInvoke,
  saga,
  snsPublish,
  type IntrinsicFunctionCall,
  type JsonataExpression,
  type PayloadTemplate,
  type Retrier,
  type Saga,
  type SagaStep,
  type SagaTask,
} from '@saga/asl';
import { ORDER_ID_PATTERN, SagaErrors, SagaSteps, type SagaErrorName } from '@saga/contracts';
import type { FunctionName } from './config.js';
import { chargePaymentFlow, refundPaymentFlow } from './payment-flows.js';

/**
 * The order-fulfilment workflow, generated once by `saga()` from `@saga/asl`. The stack embeds
 * `JSON.stringify(definition)` in `aws_sfn_state_machine.definition`; the local run loads that same
 * definition from `cdktf.out`, so what is tested is what deploys.
 *
 * ```
 * ChargePayment → ReserveStock → BookShipment → EmitReceipt → NotifySuccess (SNS) → Fulfilled
 *   (ChargePayment and RefundPayment are subflows around their Lambda: the state machine reads and
 *    writes the order's payment record itself; see payment-flows.ts)
 *   known failure (taxonomy `compensate`) at step k → compensations of steps < k, in parallel
 *     (CompensateThroughChargePayment | CompensateThroughReserveStock) → NotifyFailure (SNS) → OrderFulfillmentFailed
 *   any other error → AnalyzeError → WaitForHumanReview (SQS, task token) → ChooseAfterReview:
 *     retry → the failed state | compensate → CompensateFailedStep → … | fail → NotifyFailure
 * ```
 *
 * ## State data (JSONPath; every Task's result lands at `$.<StateName>`)
 *
 * ```
 * {
 *   order: Order,                                     // the execution input: StartExecution({ input: { order } })
 *   ChargePayment?: { Payload: ChargePaymentOutput }, // the subflow's output (SUBFLOW_PAYLOAD_ONLY), shaped like a Lambda step's
 *   ReserveStock?:  { Payload: ReserveStockOutput },
 *   BookShipment?:  { Payload: BookShipmentOutput },
 *   EmitReceipt?:   { Payload: EmitReceiptOutput },
 *   errorInfo?: { Error, Cause },                     // written by every Catch of a step or compensation
 *   analysis?: { Payload: ErrorAnalysis } | { Error, Cause }, // AnalyzeError's result (or its own failure); the review message carries it as is
 *   review?: ReviewOutcome | { Error, Cause },        // the reviewer's SendTaskSuccess output (or the timeout)
 *   notificationError?: { Error, Cause },             // a failed notification (it never changes the outcome)
 * }
 * variables: $failedStep — the state whose Catch wrote errorInfo (a step, a compensation or a CompensateThrough… state)
 * ```
 * Compensations discard their result (`ResultPath: null`).
 *
 * ## Lambda payloads (the `@saga/contracts` step inputs, built from the state data)
 *
 * | state | Payload |
 * | --- | --- |
 * | AuthorisePayment, CapturePayment (in ChargePayment) | `{ action: 'authorise', order, record, previous }`, `{ action: 'capture', order, authorisation }` (payment-flows.ts) |
 * | ReserveStock | `{ order }` |
 * | BookShipment | `{ order, reservation }` |
 * | EmitReceipt | `{ order, payment, reservation, shipment }` |
 * | RefundPaymentIntent (in RefundPayment) | `{ order, record }`: the order's payment record as the subflow read it |
 * | ReleaseStock | `{ order }`: a compensation also runs after its own step failed (review → compensate), when that step's result does not exist; a missing JSONPath is `States.Runtime`, which no Catch sees. The handler finds the reservation by order id. |
 * | AnalyzeError | `{ errorInfo, context: { orderId, failedStep, executionArn } }` (no customer data) |
 */

/** The Lambda each Task state invokes. */
export const STEP_FUNCTIONS = {
  [SagaSteps.ChargePayment]: 'charge-payment',
  [SagaSteps.ReserveStock]: 'reserve-stock',
  [SagaSteps.BookShipment]: 'book-shipment',
  [SagaSteps.EmitReceipt]: 'emit-receipt',
  [SagaSteps.RefundPayment]: 'refund-payment',
  [SagaSteps.ReleaseStock]: 'release-stock',
  [SagaSteps.AnalyzeError]: 'analyze-error',
} as const satisfies Record<string, FunctionName>;

/** The state names the saga generates beyond the steps (from `@saga/contracts` where it names them). */
export const WorkflowStates = {
  succeeded: SagaSteps.Fulfilled,
  /** The Fail state; its error is `OrderFulfillmentFailed`, its cause `$.errorInfo`. */
  failed: 'OrderFulfillmentFailed',
  notifySuccess: 'NotifySuccess',
  notifyFailure: 'NotifyFailure',
  review: SagaSteps.WaitForHumanReview,
  reviewChoice: SagaSteps.ChooseAfterReview,
  /** The Choice in front of ChargePayment, and the Fail (InvalidOrder) of an input without a well-formed order id. */
  checkInput: 'CheckInput',
  inputRejected: 'InputRejected',
} as const;

/** What the workflow calls: Terraform references (cdktf tokens) in the stack, plain ARNs elsewhere. */
export interface WorkflowTargets {
  /** The ARN of each function. */
  readonly functionArns: Readonly<Record<FunctionName, string>>;
  readonly reviewQueueUrl: string;
  readonly notificationTopicArn: string;
  /** The orders table, whose order record holds the payment (read and written by the payment subflows). */
  readonly ordersTable: string;
}

export interface WorkflowSettings {
  /** TimeoutSeconds of each function's Task (the function's timeout plus a margin). */
  readonly taskTimeoutSeconds: Readonly<Record<FunctionName, number>>;
  readonly review: { readonly timeoutSeconds: number; readonly heartbeatSeconds: number };
}

type E = SagaErrorName;

// ------------------------------------------------------------------------------- retry policies

/** Lambda's own transient faults: retried on every Lambda Task. */
export const LAMBDA_SERVICE_RETRY: Retrier<E> = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2.0,
};

/** Exponential backoff with full jitter, for the taxonomy's retriable errors. */
function backoff(errors: readonly [E, ...E[]], policy: { interval: number; attempts: number; maxDelay: number }): Retrier<E> {
  return {
    ErrorEquals: [...errors],
    IntervalSeconds: policy.interval,
    MaxAttempts: policy.attempts,
    BackoffRate: 2.0,
    MaxDelaySeconds: policy.maxDelay,
    JitterStrategy: 'FULL',
  };
}

/**
 * The Retry of each Task. Forward steps retry briefly (a customer is waiting; exhausted retries
 * escalate to review); compensations retry longer, since money or stock is at stake and nobody waits.
 * `test/workflow.spec.ts` checks that every retriable taxonomy error a state raises is retried there.
 */
export const RETRY_POLICIES = {
  [SagaSteps.ChargePayment]: [
    backoff(['PaymentProviderUnavailable'], { interval: 2, attempts: 3, maxDelay: 30 }),
    LAMBDA_SERVICE_RETRY,
  ],
  [SagaSteps.ReserveStock]: [backoff(['DatabaseUnavailable'], { interval: 1, attempts: 4, maxDelay: 20 }), LAMBDA_SERVICE_RETRY],
  [SagaSteps.BookShipment]: [
    {
      // A hung carrier call ends at the function's own timeout first (Sandbox.Timedout: the Task's
      // TimeoutSeconds is the function's timeout plus a margin); States.Timeout if the invoke itself hangs.
      ErrorEquals: ['CarrierRateLimited', 'States.Timeout', 'Sandbox.Timedout'],
      IntervalSeconds: 2,
      BackoffRate: 2.0,
      MaxAttempts: 5,
      MaxDelaySeconds: 60,
      JitterStrategy: 'FULL',
    },
    backoff(['CarrierUnavailable'], { interval: 2, attempts: 3, maxDelay: 30 }),
    LAMBDA_SERVICE_RETRY,
  ],
  [SagaSteps.EmitReceipt]: [
    backoff(['DatabaseUnavailable', 'EventPublishFailed'], { interval: 1, attempts: 4, maxDelay: 20 }),
    LAMBDA_SERVICE_RETRY,
  ],
  [SagaSteps.RefundPayment]: [
    backoff(['PaymentProviderUnavailable'], { interval: 2, attempts: 6, maxDelay: 120 }),
    LAMBDA_SERVICE_RETRY,
  ],
  [SagaSteps.ReleaseStock]: [backoff(['DatabaseUnavailable'], { interval: 1, attempts: 6, maxDelay: 60 }), LAMBDA_SERVICE_RETRY],
  [SagaSteps.AnalyzeError]: [LAMBDA_SERVICE_RETRY],
} as const satisfies Record<keyof typeof STEP_FUNCTIONS, readonly Retrier<E>[]>;

/** A notification is retried a little; its failure is caught and never changes the order's outcome. */
export const NOTIFICATION_RETRY: Retrier<E> = {
  ErrorEquals: ['States.TaskFailed'],
  IntervalSeconds: 1,
  MaxAttempts: 2,
  BackoffRate: 2.0,
  JitterStrategy: 'FULL',
};

/** TimeoutSeconds of the SNS notifications. */
export const NOTIFICATION_TIMEOUT_SECONDS = 10;

// ------------------------------------------------------------------------------- payloads

const order = { 'order.$': '$.order' } as const;

/** The payloads of the Lambda Tasks the saga places itself (the payment subflows build their own). */
const PAYLOADS = {
  [SagaSteps.ReserveStock]: { ...order },
  [SagaSteps.BookShipment]: { ...order, 'reservation.$': '$.ReserveStock.Payload' },
  [SagaSteps.EmitReceipt]: {
    ...order,
    'payment.$': '$.ChargePayment.Payload',
    'reservation.$': '$.ReserveStock.Payload',
    'shipment.$': '$.BookShipment.Payload',
  },
  [SagaSteps.ReleaseStock]: { ...order },
  [SagaSteps.AnalyzeError]: {
    'errorInfo.$': '$.errorInfo',
    context: { 'orderId.$': '$.order.orderId', 'failedStep.$': '$failedStep', 'executionArn.$': '$$.Execution.Id' },
  },
} as const satisfies Record<Exclude<keyof typeof STEP_FUNCTIONS, PaymentStep>, PayloadTemplate>;

type PaymentStep = typeof SagaSteps.ChargePayment | typeof SagaSteps.RefundPayment;

/**
 * `States.Format('Order {} <outcome>', $.order.orderId)`, written out: `States.Format()` of
 * `@saga/asl` 0.1.0 escapes every `{}` in a literal argument, which would leave the template
 * without its placeholder (one argument too many: States.Runtime at run time).
 */
function subject(outcome: 'fulfilled' | 'failed'): IntrinsicFunctionCall {
  return `States.Format('Order {} ${outcome}', $.order.orderId)` as IntrinsicFunctionCall;
}

/**
 * The input check's JSONata condition: `$.order` is an object whose `orderId` matches the contract's
 * `ORDER_ID_PATTERN` (JSONPath Choice rules cannot test a pattern or a length).
 */
function orderIdCheck(): JsonataExpression {
  const input = '$states.input.order';
  return `{% $type(${input}) = 'object' and $type(${input}.orderId) = 'string' and $contains(${input}.orderId, /${ORDER_ID_PATTERN.source}/) %}`;
}

// ------------------------------------------------------------------------------- the saga

/** Builds the workflow. Pass cdktf tokens as targets: they become `${aws_….arn}` references in the JSON. */
export function fulfilmentWorkflow(targets: WorkflowTargets, settings: WorkflowSettings): Saga<E> {
  const task = (name: keyof typeof PAYLOADS): SagaTask<E> => {
    const fn = STEP_FUNCTIONS[name];
    return {
      name,
      invoke: lambdaInvoke({ FunctionName: targets.functionArns[fn], Payload: PAYLOADS[name] }),
      resultSelector: LAMBDA_PAYLOAD_ONLY,
      retry: RETRY_POLICIES[name],
      timeoutSeconds: settings.taskTimeoutSeconds[fn],
    };
  };
  const payments = {
    ordersTable: targets.ordersTable,
    chargeFunctionArn: targets.functionArns[STEP_FUNCTIONS[SagaSteps.ChargePayment]],
    refundFunctionArn: targets.functionArns[STEP_FUNCTIONS[SagaSteps.RefundPayment]],
    chargeTimeoutSeconds: settings.taskTimeoutSeconds[STEP_FUNCTIONS[SagaSteps.ChargePayment]],
    refundTimeoutSeconds: settings.taskTimeoutSeconds[STEP_FUNCTIONS[SagaSteps.RefundPayment]],
    chargeRetry: RETRY_POLICIES[SagaSteps.ChargePayment],
    refundRetry: RETRY_POLICIES[SagaSteps.RefundPayment],
  };
  const step = (name: keyof typeof PAYLOADS, compensation?: keyof typeof PAYLOADS): SagaStep<E> => ({
    ...task(name),
    ...(compensation ? { compensation: task(compensation) } : {}),
  });

  return saga<E>({
    comment: 'Order fulfilment: charge, reserve, ship, receipt; compensations on known failures, human review on unknown ones',
    errors: SagaErrors,
    steps: [
      { ...chargePaymentFlow(payments), compensation: refundPaymentFlow(payments) },
      step(SagaSteps.ReserveStock, SagaSteps.ReleaseStock),
      step(SagaSteps.BookShipment),
      step(SagaSteps.EmitReceipt),
    ],
    // Every step's payload and the notifications read $.order and $.order.orderId, and the payment
    // subflow keys the order record by the order id before ChargePayment's function validates the
    // rest of the order: an input without an object order and a well-formed order id would fail with
    // States.Runtime (uncatchable), a DynamoDB validation error, or lose its failure notification.
    inputCheck: {
      name: WorkflowStates.checkInput,
      rejectedName: WorkflowStates.inputRejected,
      condition: orderIdCheck(),
      error: 'InvalidOrder',
      cause: 'The execution input has no order with a valid orderId (letters, digits, _ and -, at most 64): nothing was charged, reserved or shipped.',
    },
    // RefundPayment and ReleaseStock touch different systems (Stripe, DynamoDB): they run together.
    compensation: 'parallel',
    analysis: task(SagaSteps.AnalyzeError),
    review: {
      name: WorkflowStates.review,
      choiceName: WorkflowStates.reviewChoice,
      queueUrl: targets.reviewQueueUrl,
      context: { 'orderId.$': '$.order.orderId' },
      timeoutSeconds: settings.review.timeoutSeconds,
      heartbeatSeconds: settings.review.heartbeatSeconds,
    },
    onSuccess: {
      name: WorkflowStates.notifySuccess,
      invoke: snsPublish({
        TopicArn: targets.notificationTopicArn,
        'Subject.$': subject('fulfilled'),
        Message: {
          outcome: 'OrderFulfilled',
          'orderId.$': '$.order.orderId',
          'receiptId.$': '$.EmitReceipt.Payload.receiptId',
          'executionArn.$': '$$.Execution.Id',
        },
      }),
      retry: [NOTIFICATION_RETRY],
      timeoutSeconds: NOTIFICATION_TIMEOUT_SECONDS,
    },
    onFailure: {
      name: WorkflowStates.notifyFailure,
      invoke: snsPublish({
        TopicArn: targets.notificationTopicArn,
        'Subject.$': subject('failed'),
        Message: {
          outcome: 'OrderFulfillmentFailed',
          'orderId.$': '$.order.orderId',
          'failedStep.$': '$failedStep',
          'executionArn.$': '$$.Execution.Id',
          'errorInfo.$': '$.errorInfo',
          // The analysis, when the error went through AnalyzeError: `[analysis]`, else `[]`. A known
          // (compensated) failure has none, and a definite `$.analysis` would then fail the state with
          // States.Runtime, which no Catch sees; a deep scan is an indefinite path and yields a list.
          'analysis.$': '$..analysis',
        },
      }),
      retry: [NOTIFICATION_RETRY],
      timeoutSeconds: NOTIFICATION_TIMEOUT_SECONDS,
    },
    failError: 'OrderFulfillmentFailed',
    names: { succeeded: WorkflowStates.succeeded, failed: WorkflowStates.failed },
  });
}
