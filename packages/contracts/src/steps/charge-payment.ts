import * as z from 'zod/mini';
import { CurrencySchema, OrderSchema } from '../order.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** ChargePayment reads the order: it charges `orderTotal(order)` in `order.currency`. */
export const ChargePaymentInputSchema = z.object({ order: OrderSchema });
export type ChargePaymentInput = z.infer<typeof ChargePaymentInputSchema>;

/** A captured payment (ResultPath `$.payment`). */
export const ChargePaymentOutputSchema = z.object({
  /** Stripe PaymentIntent id (`pi_...`). */
  paymentIntentId: z.string().check(z.regex(/^pi_[A-Za-z0-9_]{1,252}$/, 'stripe_payment_intent')),
  /** Captured amount, in the currency's minor unit. */
  amount: z.int().check(z.gte(1)),
  currency: CurrencySchema,
  status: z.literal('captured'),
});
export type ChargePaymentOutput = z.infer<typeof ChargePaymentOutputSchema>;
