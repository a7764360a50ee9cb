import * as z from 'zod/mini';
import { OrderSchema } from '../order.js';
import { PaymentIntentIdSchema, PaymentRecordLookupSchema, RefundIdSchema } from '../order-record.js';
import { recordOfTheOrder } from './record-of-the-order.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/**
 * RefundPayment reads the order and its payment record as `dynamodb:getItem` gives it: the record
 * names the PaymentIntent to undo (none: nothing to undo) and what an earlier compensation did.
 */
export const RefundPaymentInputSchema = z.object({ order: OrderSchema, record: PaymentRecordLookupSchema }).check(recordOfTheOrder);
export type RefundPaymentInput = z.infer<typeof RefundPaymentInputSchema>;

/**
 * What the compensation did (ResultPath `$.refund`), for the state machine to record: refunded a
 * captured payment, canceled an uncaptured authorisation, or found nothing to undo (never charged, or
 * already undone).
 */
export const RefundPaymentOutputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('refunded'), paymentIntentId: PaymentIntentIdSchema, refundId: RefundIdSchema }),
  z.object({ outcome: z.literal('canceled'), paymentIntentId: PaymentIntentIdSchema }),
  z.object({ outcome: z.literal('noop') }),
]);
export type RefundPaymentOutput = z.infer<typeof RefundPaymentOutputSchema>;
