import * as z from 'zod/mini';

/**
 * State names of the order-fulfilment saga, as they appear in the ASL definition.
 * Handlers, the DSL's `saga()` construct, the review console and the error taxonomy all
 * refer to steps by these names.
 */
export const SagaSteps = {
  /** Authorise and capture the payment (Stripe PaymentIntent, `capture_method: 'manual'`). */
  ChargePayment: 'ChargePayment',
  /** Reserve stock for every order line in one DynamoDB transaction. */
  ReserveStock: 'ReserveStock',
  /** Book the shipment with the carrier's HTTP API. */
  BookShipment: 'BookShipment',
  /** Write the receipt row (DynamoDB) and publish `OrderFulfilled` (EventBridge). */
  EmitReceipt: 'EmitReceipt',
  /** Compensation of ChargePayment: cancel the authorisation or refund the capture. */
  RefundPayment: 'RefundPayment',
  /** Compensation of ReserveStock: give the reserved quantities back. */
  ReleaseStock: 'ReleaseStock',
  /** Classify an unknown failure (rules first, Bedrock optional) for the human reviewer. */
  AnalyzeError: 'AnalyzeError',
  /** `sqs:sendMessage.waitForTaskToken`: pause until a person decides. */
  WaitForHumanReview: 'WaitForHumanReview',
  /** Choice on the review outcome: retry, compensate or fail. */
  ChooseAfterReview: 'ChooseAfterReview',
  /** Succeed state. */
  Fulfilled: 'Fulfilled',
  /** Fail state; its error is `OrderFulfillmentFailed`. */
  FulfillmentFailed: 'FulfillmentFailed',
} as const;

/** Any state name of the saga. */
export type SagaStepName = (typeof SagaSteps)[keyof typeof SagaSteps];

/** Every saga state name, in declaration order. */
export const SagaStepNames = Object.values(SagaSteps) as readonly SagaStepName[];

/** Schema of a saga state name (e.g. the `failedStep` of a review request). */
export const SagaStepNameSchema = z.enum(SagaSteps);

/** The forward (business) steps, in execution order. */
export const ForwardSteps = [
  SagaSteps.ChargePayment,
  SagaSteps.ReserveStock,
  SagaSteps.BookShipment,
  SagaSteps.EmitReceipt,
] as const;

/** A forward (business) step. */
export type ForwardStep = (typeof ForwardSteps)[number];

/** Schema of a forward step name. */
export const ForwardStepSchema = z.enum(ForwardSteps);

/**
 * The compensation of each forward step that has one. BookShipment and EmitReceipt have none:
 * a failure after the shipment is booked escalates to a person instead of compensating.
 */
export const Compensations = {
  [SagaSteps.ChargePayment]: SagaSteps.RefundPayment,
  [SagaSteps.ReserveStock]: SagaSteps.ReleaseStock,
} as const;

/** A compensating step. */
export type CompensationStep = (typeof Compensations)[keyof typeof Compensations];

/**
 * The steps whose failure the saga catches and may send to review: the forward steps and the
 * compensations. This is the `failedStep` of the state data and of a review request.
 */
/**
 * The Parallel states that run independent compensations together (`saga({ compensation: 'parallel' })`
 * names them `CompensateThrough<Step>`); when one fails, it is the state under review.
 */
export type CompensationGroup = `CompensateThrough${(typeof ForwardSteps)[number]}`;
export const CompensationGroups: readonly CompensationGroup[] = ForwardSteps.map((s): CompensationGroup => `CompensateThrough${s}`);

/** The state whose failure is under review: a step, a compensation, or a group of compensations. */
export const FailedStepSchema = z.enum([...ForwardSteps, SagaSteps.RefundPayment, SagaSteps.ReleaseStock, ...CompensationGroups]);
export type FailedStep = z.infer<typeof FailedStepSchema>;
