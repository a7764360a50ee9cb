import type Stripe from 'stripe';

/**
 * The Stripe client resources the payment Lambdas call (ChargePayment: PaymentIntents; RefundPayment:
 * PaymentIntents and Refunds). Their bundles register only these on the client (the `--payments`
 * option of `bundle/lambda-bundle.ts`); {@link PaymentStripe} makes the compiler refuse any other.
 */
export const PAYMENT_STRIPE_RESOURCES = ['paymentIntents', 'refunds'] as const;

/** The part of the Stripe client the payment steps use (and their bundles contain). */
export type PaymentStripe = Pick<Stripe, (typeof PAYMENT_STRIPE_RESOURCES)[number]>;
