import * as z from 'zod/mini';
import { OrderSchema, type Order } from '../order.js';
import { PaymentIntentIdSchema, PaymentRecordLookupSchema, RefundIdSchema, type PaymentRecordLookup } from '../order-record.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** The record, when it names an order, must be this order's (the state machine looked up the right key). */
const recordOfTheOrder = z.refine<{ order: Order; record: PaymentRecordLookup }>(
  ({ order, record }) => (record.Item?.orderId?.S ?? order.orderId) === order.orderId,
  { message: 'record_of_another_order', path: ['record', 'Item', 'orderId', 'S'] },
);

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
