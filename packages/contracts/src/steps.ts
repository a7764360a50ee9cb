import { z } from 'zod';
import { ErrorAnalysisSchema } from './analysis.js';
import { ErrorInfoSchema } from './error-info.js';
import { CurrencySchema, OrderIdSchema, OrderSchema, SkuSchema } from './order.js';
import { ReviewOutcomeSchema } from './review.js';
import { FailedStepSchema, SagaSteps } from './saga-steps.js';
import { identifier, singleLineText } from './text.js';

// Step inputs are slices of the saga state: a handler may receive the whole state (no Parameters) or
// only the slots it reads. Input objects are therefore not strict: unread slots are dropped.

// ---- ChargePayment ----------------------------------------------------------------------------

/** ChargePayment reads the order: it charges `orderTotal(order)` in `order.currency`. */
export const ChargePaymentInputSchema = z.object({ order: OrderSchema });
export type ChargePaymentInput = z.infer<typeof ChargePaymentInputSchema>;

/** A captured payment (ResultPath `$.payment`). */
export const ChargePaymentOutputSchema = z.object({
  /** Stripe PaymentIntent id (`pi_...`). */
  paymentIntentId: z.string().regex(/^pi_[A-Za-z0-9_]{1,252}$/, 'stripe_payment_intent'),
  /** Captured amount, in the currency's minor unit. */
  amount: z.int().min(1),
  currency: CurrencySchema,
  status: z.literal('captured'),
});
export type ChargePaymentOutput = z.infer<typeof ChargePaymentOutputSchema>;

// ---- ReserveStock -----------------------------------------------------------------------------

/** ReserveStock reads the order lines. */
export const ReserveStockInputSchema = z.object({ order: OrderSchema });
export type ReserveStockInput = z.infer<typeof ReserveStockInputSchema>;

/** A reserved quantity of one SKU. */
export const ReservedLineSchema = z.object({ sku: SkuSchema, quantity: z.int().min(1) });
export type ReservedLine = z.infer<typeof ReservedLineSchema>;

/** The stock reservation (ResultPath `$.reservation`). */
export const ReserveStockOutputSchema = z.object({
  reservationId: identifier(128),
  lines: z.array(ReservedLineSchema).min(1),
});
export type ReserveStockOutput = z.infer<typeof ReserveStockOutputSchema>;

// ---- BookShipment -----------------------------------------------------------------------------

/** BookShipment reads the order (address, recipient, lines) and the reservation it ships. */
export const BookShipmentInputSchema = z.object({ order: OrderSchema, reservation: ReserveStockOutputSchema });
export type BookShipmentInput = z.infer<typeof BookShipmentInputSchema>;

/** The booked shipment (ResultPath `$.shipment`). */
export const BookShipmentOutputSchema = z.object({
  shipmentId: identifier(128),
  carrier: singleLineText(100),
  trackingNumber: identifier(128),
});
export type BookShipmentOutput = z.infer<typeof BookShipmentOutputSchema>;

// ---- EmitReceipt ------------------------------------------------------------------------------

/** EmitReceipt reads every forward result. */
export const EmitReceiptInputSchema = z.object({
  order: OrderSchema,
  payment: ChargePaymentOutputSchema,
  reservation: ReserveStockOutputSchema,
  shipment: BookShipmentOutputSchema,
});
export type EmitReceiptInput = z.infer<typeof EmitReceiptInputSchema>;

/** The receipt row and the published `OrderFulfilled` event (ResultPath `$.receipt`). */
export const EmitReceiptOutputSchema = z.object({
  receiptId: identifier(128),
  /** The EventBridge `EventId` of the `OrderFulfilled` event. */
  eventId: z.string().min(1).max(256),
});
export type EmitReceiptOutput = z.infer<typeof EmitReceiptOutputSchema>;

// ---- RefundPayment (compensates ChargePayment) ------------------------------------------------

/**
 * RefundPayment reads the order and, when ChargePayment returned, the payment. Without `payment` the
 * handler looks the PaymentIntent up by order id (ChargePayment may have failed after authorising).
 */
export const RefundPaymentInputSchema = z.object({ order: OrderSchema, payment: ChargePaymentOutputSchema.optional() });
export type RefundPaymentInput = z.infer<typeof RefundPaymentInputSchema>;

/**
 * What the compensation did (ResultPath `$.refund`): refunded a captured payment, canceled an
 * uncaptured authorisation, or found nothing to undo (never charged, or already undone).
 */
export const RefundPaymentOutputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('refunded'), refundId: z.string().regex(/^re_[A-Za-z0-9_]{1,252}$/, 'stripe_refund') }),
  z.object({ outcome: z.literal('canceled'), paymentIntentId: ChargePaymentOutputSchema.shape.paymentIntentId }),
  z.object({ outcome: z.literal('noop') }),
]);
export type RefundPaymentOutput = z.infer<typeof RefundPaymentOutputSchema>;

// ---- ReleaseStock (compensates ReserveStock) --------------------------------------------------

/** ReleaseStock reads the order and, when ReserveStock returned, the reservation. */
export const ReleaseStockInputSchema = z.object({ order: OrderSchema, reservation: ReserveStockOutputSchema.optional() });
export type ReleaseStockInput = z.infer<typeof ReleaseStockInputSchema>;

/** What the compensation did (ResultPath `$.release`). */
export const ReleaseStockOutputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('released'), reservationId: ReserveStockOutputSchema.shape.reservationId }),
  z.object({ outcome: z.literal('noop') }),
]);
export type ReleaseStockOutput = z.infer<typeof ReleaseStockOutputSchema>;

// ---- AnalyzeError -----------------------------------------------------------------------------

/**
 * The only context the analyser may see besides the error. Strict, so customer data cannot ride along;
 * the analyser still redacts `errorInfo.Cause`, which may quote third-party text.
 */
export const AnalysisContextSchema = z.strictObject({
  orderId: OrderIdSchema,
  failedStep: FailedStepSchema,
  /** `$$.Execution.Id`. */
  executionArn: z.string().min(1).max(2_048).optional(),
  /** How many attempts the step made, when known. */
  attempts: z.int().min(1).max(100).optional(),
});
export type AnalysisContext = z.infer<typeof AnalysisContextSchema>;

/** AnalyzeError input: built with Parameters from `$.errorInfo` and allow-listed fields only. */
export const AnalyzeErrorInputSchema = z.strictObject({ errorInfo: ErrorInfoSchema, context: AnalysisContextSchema });
export type AnalyzeErrorInput = z.infer<typeof AnalyzeErrorInputSchema>;

/** AnalyzeError output (ResultPath `$.analysis`). */
export const AnalyzeErrorOutputSchema = ErrorAnalysisSchema;
export type AnalyzeErrorOutput = z.infer<typeof AnalyzeErrorOutputSchema>;

// ---- Saga state -------------------------------------------------------------------------------

/**
 * The execution's state data: the order (execution input) plus one slot per ResultPath. A slot is
 * present once its state has run.
 */
export const SagaStateSchema = z.object({
  order: OrderSchema,
  payment: ChargePaymentOutputSchema.optional(),
  reservation: ReserveStockOutputSchema.optional(),
  shipment: BookShipmentOutputSchema.optional(),
  receipt: EmitReceiptOutputSchema.optional(),
  refund: RefundPaymentOutputSchema.optional(),
  release: ReleaseStockOutputSchema.optional(),
  /** Written by a Catch. */
  errorInfo: ErrorInfoSchema.optional(),
  /** The step whose Catch wrote `errorInfo`; set by the saga construct on the catch path. */
  failedStep: FailedStepSchema.optional(),
  analysis: ErrorAnalysisSchema.optional(),
  review: ReviewOutcomeSchema.optional(),
});
export type SagaState = z.infer<typeof SagaStateSchema>;

/** A slot of the saga state. */
export type SagaStateSlot = Exclude<keyof SagaState, 'order'>;

/** Where each state writes its result: `ResultPath: '$.<slot>'`. */
export const ResultPaths = {
  [SagaSteps.ChargePayment]: '$.payment',
  [SagaSteps.ReserveStock]: '$.reservation',
  [SagaSteps.BookShipment]: '$.shipment',
  [SagaSteps.EmitReceipt]: '$.receipt',
  [SagaSteps.RefundPayment]: '$.refund',
  [SagaSteps.ReleaseStock]: '$.release',
  [SagaSteps.AnalyzeError]: '$.analysis',
  [SagaSteps.WaitForHumanReview]: '$.review',
} as const satisfies Record<string, `$.${SagaStateSlot}`>;

/** The input and output contract of every Task state, keyed by state name. */
export const StepContracts = {
  [SagaSteps.ChargePayment]: { input: ChargePaymentInputSchema, output: ChargePaymentOutputSchema },
  [SagaSteps.ReserveStock]: { input: ReserveStockInputSchema, output: ReserveStockOutputSchema },
  [SagaSteps.BookShipment]: { input: BookShipmentInputSchema, output: BookShipmentOutputSchema },
  [SagaSteps.EmitReceipt]: { input: EmitReceiptInputSchema, output: EmitReceiptOutputSchema },
  [SagaSteps.RefundPayment]: { input: RefundPaymentInputSchema, output: RefundPaymentOutputSchema },
  [SagaSteps.ReleaseStock]: { input: ReleaseStockInputSchema, output: ReleaseStockOutputSchema },
  [SagaSteps.AnalyzeError]: { input: AnalyzeErrorInputSchema, output: AnalyzeErrorOutputSchema },
} as const;

/** A Task state with a Lambda contract. */
export type TaskStepName = keyof typeof StepContracts;
/** The parsed input of a Task state, e.g. `StepInput<'ReserveStock'>`. */
export type StepInput<S extends TaskStepName> = z.infer<(typeof StepContracts)[S]['input']>;
/** The output of a Task state, e.g. `StepOutput<'ChargePayment'>`. */
export type StepOutput<S extends TaskStepName> = z.infer<(typeof StepContracts)[S]['output']>;
