import {
  dynamoDbGetItem,
  dynamoDbUpdateItem,
  LAMBDA_PAYLOAD_ONLY,
  lambdaInvoke,
  type Branch,
  type IntrinsicFunctionCall,
  type JsonPathInvocation,
  type Retrier,
  type SagaSubflow,
  type State,
} from '@saga/asl';
import { ORDER_PK_PREFIX, ORDER_RECORD_SK, SagaSteps, type SagaErrorName } from '@saga/contracts';

/**
 * ChargePayment and RefundPayment as subflows: the state machine reads and writes the order's payment
 * record with direct DynamoDB integrations, so the payment Lambdas carry no AWS SDK (issue #4's import
 * budget) and the record is written where the saga can see it.
 *
 * ```
 * ChargePayment (Parallel):
 *   PreparePayment → LoadPaymentRecord (getItem) → AuthorisePayment (λ authorise)
 *     → RecordPaymentIntent (updateItem, conditional) → CheckAuthorisation
 *         created  → AuthorisePayment again                (recorded: now it confirms, i.e. holds the money)
 *         declined → ChargeDeclined (Fail: PaymentDeclined, cause = the decline code)
 *         captured → PaymentCaptured                      (a retry found it captured already)
 *         else     → CapturePayment (λ capture) → RecordCapture (updateItem) → PaymentCaptured
 *     (RecordPaymentIntent finds another PaymentIntent recorded → back to LoadPaymentRecord: the
 *      function cancels its own and continues with the recorded one)
 * RefundPayment (Parallel; copies in each CompensateThrough… get the suffix Through<Step>):
 *   LoadRefundRecord (getItem) → RefundPaymentIntent (λ) → CheckRefundOutcome
 *     refunded → RecordRefund · canceled → RecordCancellation · noop → RefundDone
 * ```
 *
 * Why the record comes first: the function creates the PaymentIntent unconfirmed, and it is confirmed
 * (money held) only once recorded, and captured only once its authorisation is recorded. So a retry
 * days later (a human review can outlast Stripe's 24 h idempotency window) finds it in the record
 * instead of charging again, and RefundPayment finds every hold to release, even when a function
 * crashed after Stripe answered. A failure before the first record leaves an unconfirmed
 * PaymentIntent, which holds nothing.
 *
 * Branch data (ChargePayment): `{ order, authorisation: { Payload: ChargeAuthorisation | null },
 * paymentRecord?: GetItem output }`; the branch's output is the captured payment
 * (`ChargePaymentOutput`), which the saga keeps at `$.ChargePayment.Payload`.
 */

type E = SagaErrorName;

/** The state names inside ChargePayment (unique in the whole machine). */
export const ChargePaymentStates = {
  prepare: 'PreparePayment',
  loadRecord: 'LoadPaymentRecord',
  authorise: 'AuthorisePayment',
  recordIntent: 'RecordPaymentIntent',
  checkAuthorisation: 'CheckAuthorisation',
  declined: 'ChargeDeclined',
  capture: 'CapturePayment',
  recordCapture: 'RecordCapture',
  captured: 'PaymentCaptured',
} as const;

/** The state names inside RefundPayment (each placement in a `CompensateThrough<Step>` adds `Through<Step>`). */
export const RefundPaymentStates = {
  loadRecord: 'LoadRefundRecord',
  refund: 'RefundPaymentIntent',
  checkOutcome: 'CheckRefundOutcome',
  recordRefund: 'RecordRefund',
  recordCancellation: 'RecordCancellation',
  done: 'RefundDone',
} as const;

export interface PaymentFlowSettings {
  readonly ordersTable: string;
  readonly chargeFunctionArn: string;
  readonly refundFunctionArn: string;
  /** TimeoutSeconds of the Lambda Tasks (the function's timeout plus a margin). */
  readonly chargeTimeoutSeconds: number;
  readonly refundTimeoutSeconds: number;
  /** Retry of the Lambda Tasks: each function's retriable errors. */
  readonly chargeRetry: readonly Retrier<E>[];
  readonly refundRetry: readonly Retrier<E>[];
}

/** TimeoutSeconds of a DynamoDB item read or write. */
export const RECORD_TIMEOUT_SECONDS = 10;

/** DynamoDB's transient faults, on every record read and write. */
export const DYNAMODB_RETRY: Retrier<E> = {
  ErrorEquals: [
    'DynamoDB.ProvisionedThroughputExceededException',
    'DynamoDB.RequestLimitExceededException',
    'DynamoDB.ThrottlingException',
    'DynamoDB.InternalServerErrorException',
    'DynamoDB.SdkClientException',
  ],
  IntervalSeconds: 1,
  MaxAttempts: 4,
  BackoffRate: 2.0,
  MaxDelaySeconds: 20,
  JitterStrategy: 'FULL',
};

/** The order record's key: `pk` = `ORDER#<orderId>`, `sk` = `ORDER` (the layout is `@saga/contracts`' order-record). */
const ORDER_RECORD_KEY = {
  pk: { 'S.$': `States.Format('${ORDER_PK_PREFIX}{}', $.order.orderId)` as IntrinsicFunctionCall },
  sk: { S: ORDER_RECORD_SK },
};

/** The payment attributes a payment step reads (nothing else of the order record). */
const PAYMENT_ATTRIBUTES = 'orderId, paymentIntentId, paymentStatus, amount, currency, refundId, updatedAt';

const now = { 'S.$': '$$.State.EnteredTime' } as const;

function task(invocation: JsonPathInvocation, fields: Record<string, unknown>): State<string, E> {
  return { Type: 'Task', Resource: invocation.Resource, Parameters: invocation.Parameters, ...fields } as State<string, E>;
}

function loadRecord(table: string, next: string): State<string, E> {
  return task(
    dynamoDbGetItem({ TableName: table, Key: ORDER_RECORD_KEY, ConsistentRead: true, ProjectionExpression: PAYMENT_ATTRIBUTES }),
    { ResultPath: '$.paymentRecord', TimeoutSeconds: RECORD_TIMEOUT_SECONDS, Retry: [DYNAMODB_RETRY], Next: next },
  );
}

/**
 * Records the authorisation at `$.authorisation.Payload` on the order: the PaymentIntent id is written
 * once (a different one already there fails the condition), with its status, amount and currency.
 */
function recordPayment(table: string, fields: Record<string, unknown>): State<string, E> {
  const payment = '$.authorisation.Payload';
  return task(
    dynamoDbUpdateItem({
      TableName: table,
      Key: ORDER_RECORD_KEY,
      UpdateExpression:
        'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, amount = :amount, currency = :currency, updatedAt = :now',
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: {
        ':orderId': { 'S.$': '$.order.orderId' },
        ':pi': { 'S.$': `${payment}.paymentIntentId` },
        ':status': { 'S.$': `${payment}.status` },
        ':amount': { 'N.$': `States.JsonToString(${payment}.amount)` as IntrinsicFunctionCall },
        ':currency': { 'S.$': `${payment}.currency` },
        ':now': now,
      },
    }),
    { ResultPath: null, TimeoutSeconds: RECORD_TIMEOUT_SECONDS, Retry: [DYNAMODB_RETRY], ...fields },
  );
}

/** ChargePayment: create, record, confirm (hold the money), record, capture, record. */
export function chargePaymentFlow(s: PaymentFlowSettings): SagaSubflow<E> {
  const n = ChargePaymentStates;
  const charge = (action: 'authorise' | 'capture', payload: Record<string, string>, next: string) =>
    task(lambdaInvoke({ FunctionName: s.chargeFunctionArn, Payload: { action, 'order.$': '$.order', ...payload } }), {
      ResultSelector: LAMBDA_PAYLOAD_ONLY,
      ResultPath: '$.authorisation',
      TimeoutSeconds: s.chargeTimeoutSeconds,
      Retry: s.chargeRetry,
      Next: next,
    });
  const branch: Branch<E> = {
    StartAt: n.prepare,
    States: {
      [n.prepare]: {
        Type: 'Pass',
        Comment: 'The branch works on the order alone; no authorisation yet',
        Parameters: { 'order.$': '$.order', authorisation: { Payload: null } },
        Next: n.loadRecord,
      },
      [n.loadRecord]: loadRecord(s.ordersTable, n.authorise),
      [n.authorise]: charge(
        'authorise',
        { 'record.$': '$.paymentRecord', 'previous.$': '$.authorisation.Payload' },
        n.recordIntent,
      ),
      [n.recordIntent]: recordPayment(s.ordersTable, {
        Comment: 'Recorded before any hold or capture; another PaymentIntent recorded first sends the function back to yield to it',
        Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.recordConflict', Next: n.loadRecord }],
        Next: n.checkAuthorisation,
      }),
      [n.checkAuthorisation]: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.authorisation.Payload.status', StringEquals: 'created', Next: n.authorise },
          { Variable: '$.authorisation.Payload.status', StringEquals: 'declined', Next: n.declined },
          { Variable: '$.authorisation.Payload.status', StringEquals: 'captured', Next: n.captured },
        ],
        Default: n.capture,
      },
      [n.declined]: {
        Type: 'Fail',
        Comment: 'The declined PaymentIntent is recorded: a retry continues from it, the refund cancels it',
        Error: 'PaymentDeclined',
        CausePath: '$.authorisation.Payload.declineReason',
      },
      [n.capture]: charge('capture', { 'authorisation.$': '$.authorisation.Payload' }, n.recordCapture),
      [n.recordCapture]: recordPayment(s.ordersTable, { Next: n.captured }),
      [n.captured]: { Type: 'Pass', OutputPath: '$.authorisation.Payload', End: true },
    },
  };
  return { name: SagaSteps.ChargePayment, branch };
}

/** RefundPayment: read the record, cancel or refund at Stripe, record what was done. */
export function refundPaymentFlow(s: PaymentFlowSettings): SagaSubflow<E> {
  const n = RefundPaymentStates;
  const outcome = '$.refund.Payload.outcome';
  // Bookkeeping only (Stripe holds the truth and refuses to refund twice): a write that still fails
  // after its retries is kept at $.recordError in the history and does not fail the compensation.
  const record = (status: 'refunded' | 'canceled') =>
    task(
      dynamoDbUpdateItem({
        TableName: s.ordersTable,
        Key: ORDER_RECORD_KEY,
        UpdateExpression: `SET paymentStatus = :status, updatedAt = :now${status === 'refunded' ? ', refundId = :refundId' : ''}`,
        ConditionExpression: 'paymentIntentId = :pi',
        ExpressionAttributeValues: {
          ':pi': { 'S.$': '$.refund.Payload.paymentIntentId' },
          ':status': { S: status },
          ':now': now,
          ...(status === 'refunded' ? { ':refundId': { 'S.$': '$.refund.Payload.refundId' } } : {}),
        },
      }),
      {
        ResultPath: null,
        TimeoutSeconds: RECORD_TIMEOUT_SECONDS,
        Retry: [DYNAMODB_RETRY],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: n.done }],
        Next: n.done,
      },
    );
  const branch: Branch<E> = {
    StartAt: n.loadRecord,
    States: {
      [n.loadRecord]: loadRecord(s.ordersTable, n.refund),
      [n.refund]: task(
        lambdaInvoke({ FunctionName: s.refundFunctionArn, Payload: { 'order.$': '$.order', 'record.$': '$.paymentRecord' } }),
        {
          ResultSelector: LAMBDA_PAYLOAD_ONLY,
          ResultPath: '$.refund',
          TimeoutSeconds: s.refundTimeoutSeconds,
          Retry: s.refundRetry,
          Next: n.checkOutcome,
        },
      ),
      [n.checkOutcome]: {
        Type: 'Choice',
        Choices: [
          { Variable: outcome, StringEquals: 'refunded', Next: n.recordRefund },
          { Variable: outcome, StringEquals: 'canceled', Next: n.recordCancellation },
        ],
        Default: n.done,
      },
      [n.recordRefund]: record('refunded'),
      [n.recordCancellation]: record('canceled'),
      [n.done]: { Type: 'Succeed' },
    },
  };
  return { name: SagaSteps.RefundPayment, branch };
}
