import * as z from 'zod/mini';
import { CurrencySchema, OrderSchema } from '../order.js';
import { PaymentIntentIdSchema, PaymentRecordLookupSchema } from '../order-record.js';
import { recordOfTheOrder } from './record-of-the-order.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).
//
// One Lambda, two Task states: `authorise` first creates the PaymentIntent unconfirmed, which holds
// nothing on the card; the state machine records it in the order record (a conditional write) and
// calls `authorise` again, which confirms it; then `capture` captures it. So no money is held or moved
// on a PaymentIntent that is not recorded: a retry days later continues from the record and never
// charges twice, and the compensation finds every authorisation to undo.

const payment = {
  /** Stripe PaymentIntent id (`pi_...`). */
  paymentIntentId: PaymentIntentIdSchema,
  /** In the currency's minor unit. */
  amount: z.int().check(z.gte(1)),
  currency: CurrencySchema,
};

/** A PaymentIntent created for the order and not confirmed yet: nothing is held on the card. */
const CreatedPaymentSchema = z.object({ ...payment, status: z.literal('created') });

/** An authorised PaymentIntent, not captured yet: the order total is held on the card. */
const AuthorisedPaymentSchema = z.object({ ...payment, status: z.literal('authorised') });

/** A captured payment (ResultPath `$.payment`); `amount` is the amount captured. */
export const ChargePaymentOutputSchema = z.object({ ...payment, status: z.literal('captured') });
export type ChargePaymentOutput = z.infer<typeof ChargePaymentOutputSchema>;

/**
 * What `authorise` found or did, for the state machine to record: `created` (recorded, then confirmed
 * by the next `authorise`), `authorised` (capture next),
 * `captured` (a retry found it captured already), or `declined` (the card declined, or asks for
 * authentication): the state machine records the declined PaymentIntent, so that a retry confirms it
 * again and the compensation cancels it, then fails the step with `PaymentDeclined`.
 */
export const ChargeAuthorisationSchema = z.discriminatedUnion('status', [
  CreatedPaymentSchema,
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

/**
 * `authorise`: continue from the PaymentIntent the order record names (or `previous`), else create one
 * (manual capture, unconfirmed). `record` is the order record as `dynamodb:getItem` gives it;
 * `previous` is this step's earlier result when the state machine comes back (it recorded a `created`
 * PaymentIntent, or recording failed because another PaymentIntent was recorded first), else `null`.
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
