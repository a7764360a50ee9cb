import * as z from 'zod/mini';
import { CurrencySchema, OrderSchema, type Order } from '../order.js';
import { PaymentIntentIdSchema, PaymentRecordLookupSchema, type PaymentRecordLookup } from '../order-record.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).
//
// One Lambda, two Task states: `authorise` returns the authorisation, the state machine records its
// PaymentIntent in the order record (a conditional write), then `capture` captures it. A PaymentIntent
// is captured only once it is recorded, so a retry days later continues from the record and never
// charges twice.

const payment = {
  /** Stripe PaymentIntent id (`pi_...`). */
  paymentIntentId: PaymentIntentIdSchema,
  /** In the currency's minor unit. */
  amount: z.int().check(z.gte(1)),
  currency: CurrencySchema,
};

/** An authorised PaymentIntent, not captured yet: the order total is held on the card. */
const AuthorisedPaymentSchema = z.object({ ...payment, status: z.literal('authorised') });

/** A captured payment (ResultPath `$.payment`); `amount` is the amount captured. */
export const ChargePaymentOutputSchema = z.object({ ...payment, status: z.literal('captured') });
export type ChargePaymentOutput = z.infer<typeof ChargePaymentOutputSchema>;

/**
 * What `authorise` found or did, for the state machine to record: `authorised` (capture next),
 * `captured` (a retry found it captured already), or `declined` (the card declined, or asks for
 * authentication): the state machine records the declined PaymentIntent, so that a retry confirms it
 * again and the compensation cancels it, then fails the step with `PaymentDeclined`.
 */
export const ChargeAuthorisationSchema = z.discriminatedUnion('status', [
  AuthorisedPaymentSchema,
  ChargePaymentOutputSchema,
  z.object({
    ...payment,
    status: z.literal('declined'),
    /** The decline code only (`insufficient_funds`, `authentication_required`), never card data. */
    declineReason: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/, 'decline_code')),
  }),
]);
export type ChargeAuthorisation = z.infer<typeof ChargeAuthorisationSchema>;

/** The record, when it names an order, must be this order's (the state machine looked up the right key). */
const recordOfTheOrder = z.refine<{ order: Order; record: PaymentRecordLookup }>(
  ({ order, record }) => (record.Item?.orderId?.S ?? order.orderId) === order.orderId,
  { message: 'record_of_another_order', path: ['record', 'Item', 'orderId', 'S'] },
);

/**
 * `authorise`: continue from the PaymentIntent the order record names, else create one (manual
 * capture). `record` is the order record as `dynamodb:getItem` gives it; `previous` is this step's
 * earlier result when the state machine comes back because recording it failed (another
 * PaymentIntent was recorded first), else `null`.
 */
export const AuthorisePaymentInputSchema = z
  .object({
    action: z.literal('authorise'),
    order: OrderSchema,
    record: PaymentRecordLookupSchema,
    previous: z.nullable(ChargeAuthorisationSchema),
  })
  .check(recordOfTheOrder);
export type AuthorisePaymentInput = z.infer<typeof AuthorisePaymentInputSchema>;

/** `capture`: capture the recorded authorisation (`status: 'authorised'` only). */
export const CapturePaymentInputSchema = z.object({
  action: z.literal('capture'),
  order: OrderSchema,
  authorisation: AuthorisedPaymentSchema,
});
export type CapturePaymentInput = z.infer<typeof CapturePaymentInputSchema>;

/** ChargePayment's input: `authorise` returns a {@link ChargeAuthorisation}, `capture` a {@link ChargePaymentOutput}. */
export const ChargePaymentInputSchema = z.discriminatedUnion('action', [AuthorisePaymentInputSchema, CapturePaymentInputSchema]);
export type ChargePaymentInput = z.infer<typeof ChargePaymentInputSchema>;
