import * as z from 'zod/mini';
import { ErrorAnalysisSchema } from './analysis.js';
import { ErrorInfoSchema } from './error-info.js';
import { OrderSchema } from './order.js';
import { ReviewOutcomeSchema } from './review.js';
import { FailedStepSchema, SagaSteps } from './saga-steps.js';
import { AnalyzeErrorInputSchema, AnalyzeErrorOutputSchema } from './steps/analyze-error.js';
import { BookShipmentInputSchema, BookShipmentOutputSchema } from './steps/book-shipment.js';
import { ChargeAuthorisationSchema, ChargePaymentInputSchema, ChargePaymentOutputSchema } from './steps/charge-payment.js';
import { EmitReceiptInputSchema, EmitReceiptOutputSchema } from './steps/emit-receipt.js';
import { RefundPaymentInputSchema, RefundPaymentOutputSchema } from './steps/refund-payment.js';
import { ReleaseStockInputSchema, ReleaseStockOutputSchema } from './steps/release-stock.js';
import { ReserveStockInputSchema, ReserveStockOutputSchema } from './steps/reserve-stock.js';

// Step inputs are slices of the saga state: a handler may receive the whole state (no Parameters) or
// only the slots it reads. Input objects are therefore not strict: unread slots are dropped.
//
// One module per Task state (`./steps/*`), so a Lambda bundle keeps only the schemas of the step it
// runs: a bundler drops a whole unused module (`sideEffects: false`) but keeps every schema a used
// module builds at load time.
export * from './steps/analyze-error.js';
export * from './steps/book-shipment.js';
export * from './steps/charge-payment.js';
export * from './steps/emit-receipt.js';
export * from './steps/refund-payment.js';
export * from './steps/release-stock.js';
export * from './steps/reserve-stock.js';

// ---- Saga state -------------------------------------------------------------------------------

/**
 * The execution's state data: the order (execution input) plus one slot per ResultPath. A slot is
 * present once its state has run.
 */
export const SagaStateSchema = z.object({
  order: OrderSchema,
  payment: z.optional(ChargePaymentOutputSchema),
  reservation: z.optional(ReserveStockOutputSchema),
  shipment: z.optional(BookShipmentOutputSchema),
  receipt: z.optional(EmitReceiptOutputSchema),
  refund: z.optional(RefundPaymentOutputSchema),
  release: z.optional(ReleaseStockOutputSchema),
  /** Written by a Catch. */
  errorInfo: z.optional(ErrorInfoSchema),
  /** The step whose Catch wrote `errorInfo`; set by the saga construct on the catch path. */
  failedStep: z.optional(FailedStepSchema),
  analysis: z.optional(ErrorAnalysisSchema),
  review: z.optional(ReviewOutcomeSchema),
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

/**
 * The input and output contract of every Task state's Lambda, keyed by step name. ChargePayment's
 * function serves two Task states (`action: 'authorise' | 'capture'`): its output is a
 * `ChargeAuthorisation`, of which `capture` returns the `captured` member (`ChargePaymentOutput`).
 */
export const StepContracts = {
  [SagaSteps.ChargePayment]: { input: ChargePaymentInputSchema, output: ChargeAuthorisationSchema },
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
