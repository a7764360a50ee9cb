import {
  ChargePaymentInputSchema,
  ChargePaymentOutputSchema,
  InvalidOrderError,
  orderTotal,
  SagaError,
  type ChargePaymentOutput,
  type Order,
} from '@saga/contracts';
import {
  describeStripeError,
  isProviderUnavailable,
  isStripeError,
  readPaymentRecord,
  recordPaymentIntent,
  stripeErrorFacts,
  UnexpectedStripeError,
  updatePaymentStatus,
  type PaymentDeps,
  type PaymentStripe,
  type PaymentStatus,
  type StripeErrorLike,
} from '@saga/lambda-kit/payments';
import type Stripe from 'stripe';

export type { PaymentLogger } from '@saga/lambda-kit/payments';

/** Everything `chargePayment` touches, injected. */
export type ChargePaymentDeps = PaymentDeps;

/** Idempotency keys, per order; `v1` versions the request shape (bump it if the parameters change). */
export const chargeKeys = {
  authorise: (orderId: string) => `${orderId}:authorise:v1`,
  capture: (orderId: string) => `${orderId}:capture:v1`,
  /** A new confirmation attempt after a decline: keyed by the failed charge, so each attempt runs once. */
  confirm: (orderId: string, after: string | null) => (after ? `${orderId}:confirm:${after}:v1` : `${orderId}:confirm:v1`),
  /** Cancels an authorisation that lost the race to be recorded for the order. */
  cancelDuplicate: (orderId: string, paymentIntentId: string) => `${orderId}:cancel-duplicate:${paymentIntentId}:v1`,
} as const;

/** More state transitions than this in one invocation means something is wrong. */
const MAX_STEPS = 4;

/**
 * ChargePayment: authorise the order total on the order's card (manual capture), record the
 * PaymentIntent in the order record, then capture it. Idempotent across retries: the order record says
 * which PaymentIntent belongs to the order, and the step continues from that PaymentIntent's state
 * (captured → done; authorised → capture), so no retry charges twice, even after Stripe's 24 h
 * idempotency window.
 *
 * @throws {InvalidOrderError} `InvalidOrder` when the input breaks its contract (before any side effect)
 * @throws {SagaError} `PaymentDeclined` (card declined, authentication required, authorisation canceled
 *   or expired before capture); `PaymentProviderUnavailable` (Stripe 429 / 5xx / unreachable: retry)
 * @throws {UnexpectedStripeError} named after the Stripe class for other Stripe errors (escalates)
 */
export async function chargePayment(input: unknown, deps: ChargePaymentDeps): Promise<ChargePaymentOutput> {
  const parsed = ChargePaymentInputSchema.safeParse(input);
  if (!parsed.success) throw InvalidOrderError.fromZodError(parsed.error);
  const { order } = parsed.data;
  const ctx = new ChargeContext(order, deps);
  deps.logger.info('ChargePayment started', { orderId: order.orderId, amount: ctx.amount, currency: order.currency });
  try {
    const result = await ctx.run();
    deps.logger.info('ChargePayment captured', { orderId: order.orderId, paymentIntentId: result.paymentIntentId, amount: result.amount });
    return result;
  } catch (error) {
    const mapped = mapError(error);
    deps.logger.warn('ChargePayment failed', {
      orderId: order.orderId,
      errorName: mapped instanceof Error ? mapped.name : 'unknown',
      ...(isStripeError(error) ? { stripe: stripeErrorFacts(error) } : {}),
    });
    throw mapped;
  }
}

class ChargeContext {
  readonly amount: number;
  readonly orderId: string;

  constructor(
    readonly order: Order,
    readonly deps: ChargePaymentDeps,
  ) {
    this.amount = orderTotal(order);
    this.orderId = order.orderId;
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async run(): Promise<ChargePaymentOutput> {
    const stripe = await this.deps.stripe();
    const record = await readPaymentRecord(this.deps.dynamodb, this.deps.ordersTable, this.orderId);
    let pi: Stripe.PaymentIntent;
    if (record?.paymentIntentId) {
      pi = await stripe.paymentIntents.retrieve(record.paymentIntentId);
      this.deps.logger.info('ChargePayment resumes a recorded PaymentIntent', {
        orderId: this.orderId,
        paymentIntentId: pi.id,
        stripeStatus: pi.status,
      });
    } else {
      pi = await this.authorise(stripe);
    }
    this.checkMatchesOrder(pi);

    for (let step = 0; step < MAX_STEPS; step++) {
      switch (pi.status) {
        case 'succeeded':
          await this.recordCaptured(pi.id);
          return ChargePaymentOutputSchema.parse({
            paymentIntentId: pi.id,
            amount: pi.amount_received,
            currency: pi.currency,
            status: 'captured',
          });
        case 'requires_capture':
          pi = await this.capture(stripe, pi);
          break;
        case 'requires_payment_method':
        case 'requires_confirmation':
          pi = await this.confirm(stripe, pi);
          break;
        case 'requires_action':
          throw new SagaError('PaymentDeclined', 'authentication_required: the card asks for customer authentication (3-D Secure)');
        case 'processing':
          throw new SagaError('PaymentProviderUnavailable', `payment ${pi.id} is still processing at Stripe; retry later`);
        case 'canceled':
          throw new SagaError(
            'PaymentDeclined',
            `authorisation_canceled: the authorisation was canceled before capture (cancellation_reason: ${pi.cancellation_reason ?? 'unknown'}), e.g. it expired`,
          );
        default:
          throw new Error(`PaymentIntent ${pi.id} has an unknown status ${String(pi.status)}`);
      }
    }
    throw new Error(`PaymentIntent ${pi.id} did not settle after ${MAX_STEPS} steps (status ${pi.status})`);
  }

  /** Creates and confirms a manual-capture PaymentIntent, then records it (or yields to one recorded meanwhile). */
  private async authorise(stripe: PaymentStripe): Promise<Stripe.PaymentIntent> {
    let pi: Stripe.PaymentIntent;
    try {
      pi = await stripe.paymentIntents.create(
        {
          amount: this.amount,
          currency: this.order.currency,
          capture_method: 'manual',
          confirm: true,
          payment_method: this.order.payment.paymentMethodId,
          allowed_payment_method_types: ['card'],
          metadata: { orderId: this.orderId },
        },
        { idempotencyKey: chargeKeys.authorise(this.orderId) },
      );
    } catch (error) {
      if (isStripeError(error, 'StripeCardError') && error.payment_intent?.id) {
        // Record the declined intent so a retry continues from it and the compensation can cancel it.
        await this.recordBestEffort(error.payment_intent.id, 'declined');
      }
      throw error;
    }
    this.deps.logger.info('ChargePayment authorised', { orderId: this.orderId, paymentIntentId: pi.id, stripeStatus: pi.status });
    const result = await recordPaymentIntent(this.deps.dynamodb, this.deps.ordersTable, {
      orderId: this.orderId,
      paymentIntentId: pi.id,
      amount: this.amount,
      currency: this.order.currency,
      status: 'authorised',
      now: this.now(),
    });
    if (result.recorded) return pi;

    // Another attempt recorded a different PaymentIntent first (possible only once Stripe has forgotten
    // the authorise key): keep that one and release ours.
    this.deps.logger.warn('ChargePayment found another PaymentIntent recorded; canceling its own', {
      orderId: this.orderId,
      paymentIntentId: pi.id,
      recordedPaymentIntentId: result.existingPaymentIntentId,
    });
    await stripe.paymentIntents.cancel(
      pi.id,
      { cancellation_reason: 'duplicate' },
      { idempotencyKey: chargeKeys.cancelDuplicate(this.orderId, pi.id) },
    );
    return stripe.paymentIntents.retrieve(result.existingPaymentIntentId);
  }

  private async capture(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<Stripe.PaymentIntent> {
    try {
      return await stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: chargeKeys.capture(this.orderId) });
    } catch (error) {
      if (isStripeError(error, 'StripeInvalidRequestError') && error.code === 'payment_intent_unexpected_state') {
        // Captured by a concurrent attempt, or canceled/expired meanwhile: decide from the current state.
        const current = await stripe.paymentIntents.retrieve(pi.id);
        if (current.status !== 'requires_capture') return current;
      }
      throw error;
    }
  }

  private async confirm(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<Stripe.PaymentIntent> {
    const after = typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? null);
    try {
      return await stripe.paymentIntents.confirm(
        pi.id,
        { payment_method: this.order.payment.paymentMethodId },
        { idempotencyKey: chargeKeys.confirm(this.orderId, after) },
      );
    } catch (error) {
      if (isStripeError(error, 'StripeCardError')) await this.setStatusBestEffort(pi.id, 'declined');
      throw error;
    }
  }

  /** A recorded PaymentIntent must be for this order's amount and currency. */
  private checkMatchesOrder(pi: Stripe.PaymentIntent): void {
    if (pi.amount !== this.amount || pi.currency !== this.order.currency) {
      throw new PaymentMismatchError(
        `PaymentIntent ${pi.id} is for ${pi.amount} ${pi.currency}, the order total is ${this.amount} ${this.order.currency}`,
      );
    }
  }

  /** Marks the capture; also restores the record's PaymentIntent id should the item have been lost. */
  private async recordCaptured(paymentIntentId: string): Promise<void> {
    const result = await recordPaymentIntent(this.deps.dynamodb, this.deps.ordersTable, {
      orderId: this.orderId,
      paymentIntentId,
      amount: this.amount,
      currency: this.order.currency,
      status: 'captured',
      now: this.now(),
    });
    if (!result.recorded) {
      throw new PaymentMismatchError(
        `captured PaymentIntent ${paymentIntentId} but the order record names ${result.existingPaymentIntentId}`,
      );
    }
  }

  private async setStatus(paymentIntentId: string, status: PaymentStatus): Promise<void> {
    await updatePaymentStatus(this.deps.dynamodb, this.deps.ordersTable, { orderId: this.orderId, paymentIntentId, status, now: this.now() });
  }

  private async setStatusBestEffort(paymentIntentId: string, status: PaymentStatus): Promise<void> {
    try {
      await this.setStatus(paymentIntentId, status);
    } catch (error) {
      this.deps.logger.warn('ChargePayment could not update the order record', { orderId: this.orderId, errorName: errorName(error) });
    }
  }

  private async recordBestEffort(paymentIntentId: string, status: PaymentStatus): Promise<void> {
    try {
      await recordPaymentIntent(this.deps.dynamodb, this.deps.ordersTable, {
        orderId: this.orderId,
        paymentIntentId,
        amount: this.amount,
        currency: this.order.currency,
        status,
        now: this.now(),
      });
    } catch (error) {
      this.deps.logger.warn('ChargePayment could not record the declined PaymentIntent', { orderId: this.orderId, errorName: errorName(error) });
    }
  }
}

/**
 * The PaymentIntent recorded for the order does not match the order (amount or currency): the order
 * changed after it was charged. Not in the taxonomy, so it escalates to a person.
 */
export class PaymentMismatchError extends Error {
  override readonly name = 'PaymentMismatch';
}

/** Maps a failure to the saga taxonomy: Stripe errors by class; everything else passes through. */
export function mapError(error: unknown): unknown {
  if (error instanceof SagaError || !isStripeError(error)) return error;
  if (error.type === 'StripeCardError') return new SagaError('PaymentDeclined', declineReason(error), { cause: error });
  if (isProviderUnavailable(error)) {
    return new SagaError('PaymentProviderUnavailable', `Stripe unavailable: ${describeStripeError(error)}`, { cause: error });
  }
  return new UnexpectedStripeError(error, 'ChargePayment');
}

/** The decline code only (no card or customer data): `insufficient_funds`, `generic_decline`, ... */
function declineReason(error: StripeErrorLike): string {
  return error.decline_code || error.code || 'card_declined';
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
