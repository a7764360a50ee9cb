import {
  InvalidOrderError,
  paymentRecordFrom,
  RefundPaymentInputSchema,
  RefundPaymentOutputSchema,
  SagaError,
  type OrderPaymentRecord,
  type RefundPaymentOutput,
} from '@saga/contracts';
import {
  describeStripeError,
  isProviderUnavailable,
  isStripeError,
  stripeErrorFacts,
  type PaymentDeps,
  type PaymentStripe,
} from '@saga/lambda-kit/payments';
import type Stripe from 'stripe';

export type { PaymentLogger } from '@saga/lambda-kit/payments';

/** Everything `refundPayment` touches, injected. */
export type RefundPaymentDeps = PaymentDeps;

/** Idempotency keys, per order. */
export const refundKeys = {
  cancel: (orderId: string) => `${orderId}:cancel:v1`,
  refund: (orderId: string) => `${orderId}:refund:v1`,
} as const;

/** PaymentIntent states Stripe lets us cancel (an uncaptured authorisation, or one never completed). */
const CANCELABLE: ReadonlySet<Stripe.PaymentIntent.Status> = new Set([
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'requires_capture',
  'processing',
]);

const MAX_STEPS = 3;

/**
 * RefundPayment, the compensation of ChargePayment: undo whatever the order's payment reached.
 * The PaymentIntent comes from the order record the state machine passes in (ChargePayment's
 * PaymentIntent is recorded before any money is held on it); its current state decides: an uncaptured
 * authorisation is canceled (`canceled`), a capture is refunded in full (`refunded`; a charge already
 * refunded counts as done), a canceled intent or no intent at all is a `noop`. Every call is
 * idempotent (keys `<orderId>:cancel:v1`, `<orderId>:refund:v1`, and Stripe's own refusal to refund
 * twice once the keys are forgotten). It records nothing: the state machine records the outcome.
 *
 * @throws {SagaError} `PaymentProviderUnavailable` (Stripe 429 / 5xx / unreachable: retry);
 *   `CompensationFailed` (bad input, an unknown PaymentIntent, a failed refund, another Stripe error:
 *   a person must look)
 */
export async function refundPayment(input: unknown, deps: RefundPaymentDeps): Promise<RefundPaymentOutput> {
  const parsed = RefundPaymentInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new SagaError('CompensationFailed', `RefundPayment input: ${InvalidOrderError.fromZodError(parsed.error).message}`);
  }
  const { order, record } = parsed.data;
  const orderId = order.orderId;
  const payment = paymentRecordFrom(record);
  deps.logger.info('RefundPayment started', { orderId, paymentIntentId: payment?.paymentIntentId, paymentStatus: payment?.paymentStatus });
  try {
    const result = await new Refund(orderId, payment, deps).run();
    deps.logger.info('RefundPayment done', { orderId, ...result });
    return result;
  } catch (error) {
    const mapped = mapError(error);
    deps.logger.warn('RefundPayment failed', {
      orderId,
      errorName: mapped instanceof Error ? mapped.name : 'unknown',
      ...(isStripeError(error) ? { stripe: stripeErrorFacts(error) } : {}),
    });
    throw mapped;
  }
}

class Refund {
  constructor(
    readonly orderId: string,
    readonly record: OrderPaymentRecord | undefined,
    readonly deps: RefundPaymentDeps,
  ) {}

  async run(): Promise<RefundPaymentOutput> {
    const paymentIntentId = this.record?.paymentIntentId;
    if (!paymentIntentId) {
      // A PaymentIntent is recorded before any money is held on it: nothing is held or captured.
      this.deps.logger.info('RefundPayment found no PaymentIntent for the order', { orderId: this.orderId });
      return RefundPaymentOutputSchema.parse({ outcome: 'noop' });
    }

    const stripe = await this.deps.stripe();
    let pi: Stripe.PaymentIntent = await stripe.paymentIntents.retrieve(paymentIntentId);
    const owner = pi.metadata?.['orderId'];
    if (owner !== undefined && owner !== this.orderId) {
      throw new SagaError('CompensationFailed', `PaymentIntent ${pi.id} belongs to another order`);
    }
    for (let step = 0; step < MAX_STEPS; step++) {
      if (pi.status === 'succeeded') return this.refund(stripe, pi);
      if (pi.status === 'canceled') {
        // A retry after our own cancel reports what the first attempt did; otherwise (expired, canceled
        // elsewhere) there is nothing to undo.
        const ours = this.record?.paymentStatus === 'canceled';
        return RefundPaymentOutputSchema.parse(ours ? { outcome: 'canceled', paymentIntentId: pi.id } : { outcome: 'noop' });
      }
      if (!CANCELABLE.has(pi.status)) {
        throw new SagaError('CompensationFailed', `PaymentIntent ${pi.id} has status ${pi.status}, which cannot be undone here`);
      }
      const canceled = await this.cancel(stripe, pi);
      if (canceled.status === 'canceled') {
        return RefundPaymentOutputSchema.parse({ outcome: 'canceled', paymentIntentId: pi.id });
      }
      pi = canceled; // the state moved on (e.g. captured meanwhile): decide again
    }
    throw new SagaError('CompensationFailed', `PaymentIntent ${pi.id} did not settle (status ${pi.status})`);
  }

  /** Cancels; if Stripe says the state changed meanwhile, returns the current PaymentIntent instead. */
  private async cancel(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<Stripe.PaymentIntent> {
    try {
      return await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' }, { idempotencyKey: refundKeys.cancel(this.orderId) });
    } catch (error) {
      if (isStripeError(error, 'StripeInvalidRequestError') && error.code === 'payment_intent_unexpected_state') {
        const current = await stripe.paymentIntents.retrieve(pi.id);
        if (current.status !== pi.status) return current;
      }
      throw error;
    }
  }

  private async refund(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<RefundPaymentOutput> {
    let refundId: string;
    try {
      const refund = await stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: refundKeys.refund(this.orderId) });
      if (refund.status === 'failed' || refund.status === 'canceled') {
        throw new SagaError('CompensationFailed', `refund ${refund.id} of PaymentIntent ${pi.id} ${refund.status}`);
      }
      refundId = refund.id;
    } catch (error) {
      if (!(isStripeError(error, 'StripeInvalidRequestError') && error.code === 'charge_already_refunded')) throw error;
      // Refunded before (Stripe forgot our key, or someone refunded by hand): done.
      refundId = this.record?.refundId ?? (await this.findRefund(stripe, pi.id));
      this.deps.logger.info('RefundPayment found the charge already refunded', { orderId: this.orderId, paymentIntentId: pi.id, refundId });
    }
    return RefundPaymentOutputSchema.parse({ outcome: 'refunded', paymentIntentId: pi.id, refundId });
  }

  private async findRefund(stripe: PaymentStripe, paymentIntentId: string): Promise<string> {
    const list = await stripe.refunds.list({ payment_intent: paymentIntentId, limit: 10 });
    const refund = list.data.find((r) => r.status === 'succeeded' || r.status === 'pending') ?? list.data[0];
    if (!refund) throw new SagaError('CompensationFailed', `PaymentIntent ${paymentIntentId} is reported refunded but has no refund`);
    return refund.id;
  }
}

/** Maps a failure to the saga taxonomy: outages retry, other Stripe errors need a person. */
export function mapError(error: unknown): unknown {
  if (error instanceof SagaError || !isStripeError(error)) return error;
  if (isProviderUnavailable(error)) {
    return new SagaError('PaymentProviderUnavailable', `Stripe unavailable: ${describeStripeError(error)}`, { cause: error });
  }
  return new SagaError('CompensationFailed', `RefundPayment: ${describeStripeError(error)}`, { cause: error });
}
