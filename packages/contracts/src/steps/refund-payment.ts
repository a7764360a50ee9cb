import * as z from 'zod/mini';
import { OrderSchema } from '../order.js';
import { ChargePaymentOutputSchema } from './charge-payment.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/**
 * RefundPayment reads the order and, when ChargePayment returned, the payment. Without `payment` the
 * handler looks the PaymentIntent up by order id (ChargePayment may have failed after authorising).
 */
export const RefundPaymentInputSchema = z.object({ order: OrderSchema, payment: z.optional(ChargePaymentOutputSchema) });
export type RefundPaymentInput = z.infer<typeof RefundPaymentInputSchema>;

/**
 * What the compensation did (ResultPath `$.refund`): refunded a captured payment, canceled an
 * uncaptured authorisation, or found nothing to undo (never charged, or already undone).
 */
export const RefundPaymentOutputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('refunded'), refundId: z.string().check(z.regex(/^re_[A-Za-z0-9_]{1,252}$/, 'stripe_refund')) }),
  z.object({ outcome: z.literal('canceled'), paymentIntentId: ChargePaymentOutputSchema.shape.paymentIntentId }),
  z.object({ outcome: z.literal('noop') }),
]);
export type RefundPaymentOutput = z.infer<typeof RefundPaymentOutputSchema>;
