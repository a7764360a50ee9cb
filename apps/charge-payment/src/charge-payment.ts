import {
  ChargeAuthorisationSchema,
  ChargePaymentInputSchema,
  ChargePaymentOutputSchema,
  InvalidOrderError,
  orderTotal,
  paymentRecordFrom,
  SagaError,
  type AuthorisePaymentInput,
  type CapturePaymentInput,
  type ChargeAuthorisation,
  type ChargePaymentOutput,
  type Order,
} from '@saga/contracts';
import {
  describeStripeError,
  isProviderUnavailable,
  isStripeError,
  stripeErrorFacts,
  UnexpectedStripeError,
  type PaymentDeps,
  type PaymentStripe,
  type StripeErrorLike,
} from '@saga/lambda-kit/payments';
import type Stripe from 'stripe';

export type { PaymentLogger } from '@saga/lambda-kit/payments';

/** Everything `chargePayment` touches, injected. */
export type ChargePaymentDeps = PaymentDeps;

/** Idempotency keys, per order; `v1` versions the request shape (bump it if the parameters change). */
export const chargeKeys = {
  /** Creates the order's PaymentIntent, unconfirmed (`v1` of `authorise` created and confirmed in one call). */
  create: (orderId: string) => `${orderId}:create:v1`,
  capture: (orderId: string) => `${orderId}:capture:v1`,
  /** A new confirmation attempt after a decline: keyed by the failed charge, so each attempt runs once. */
  confirm: (orderId: string, after: string | null) => (after ? `${orderId}:confirm:${after}:v1` : `${orderId}:confirm:v1`),
  /** Cancels an authorisation that lost the race to be recorded for the order. */
  cancelDuplicate: (orderId: string, paymentIntentId: string) => `${orderId}:cancel-duplicate:${paymentIntentId}:v1`,
} as const;

/** More state transitions than this in one invocation means something is wrong. */
const MAX_STEPS = 4;

/**
 * ChargePayment, one Lambda for two Task states. The state machine reads the order record and calls
 * `authorise`, which creates the PaymentIntent unconfirmed (nothing held on the card); it records it
 * (a conditional write) and calls `authorise` again, which confirms it; it records the outcome, then
 * calls `capture`. So no money is held or moved on a PaymentIntent that is not recorded: a retry (even
 * days later, after Stripe has forgotten its idempotency keys) continues from the recorded one instead
 * of charging again, and RefundPayment finds every authorisation to undo, even after a crash.
 *
 * - `authorise`: continues from the PaymentIntent the record names (or, failing that, the one this step
 *   returned before, `previous`), confirming it if it is not yet; else creates one with manual capture,
 *   unconfirmed. Returns it `created`, `authorised`, `captured` (a retry found it captured) or
 *   `declined` (with the decline code). When the record names another PaymentIntent than `previous`,
 *   `previous` lost the race to be recorded: it is canceled.
 * - `capture`: captures the recorded authorisation and returns the captured payment.
 *
 * @throws {InvalidOrderError} `InvalidOrder` when the input breaks its contract (before any side effect)
 * @throws {SagaError} `PaymentDeclined` (a decline Stripe reports without a PaymentIntent, or an
 *   authorisation canceled or expired before capture); `PaymentProviderUnavailable` (Stripe 429 / 5xx /
 *   unreachable, or a PaymentIntent still processing: retry)
 * @throws {PaymentMismatchError} `PaymentMismatch` when the PaymentIntent is not this order's amount,
 *   currency or order, or cannot be what the input says it is
 * @throws {PaymentRefundedError} `PaymentRefunded` when the record says the payment was refunded
 * @throws {UnexpectedStripeError} named after the Stripe class for other Stripe errors (escalates)
 */
export async function chargePayment(input: unknown, deps: ChargePaymentDeps): Promise<ChargeAuthorisation> {
  const parsed = ChargePaymentInputSchema.safeParse(input);
  if (!parsed.success) throw InvalidOrderError.fromZodError(parsed.error);
  const step = parsed.data;
  const charge = new Charge(step.order, deps);
  deps.logger.info('ChargePayment started', { orderId: charge.orderId, action: step.action, amount: charge.amount, currency: step.order.currency });
  try {
    const result = step.action === 'authorise' ? await charge.authorise(step) : await charge.capture(step);
    deps.logger.info(`ChargePayment ${result.status}`, {
      orderId: charge.orderId,
      paymentIntentId: result.paymentIntentId,
      amount: result.amount,
      ...(result.status === 'declined' ? { declineReason: result.declineReason } : {}),
    });
    return result;
  } catch (error) {
    const mapped = mapError(error);
    deps.logger.warn('ChargePayment failed', {
      orderId: charge.orderId,
      action: step.action,
      errorName: mapped instanceof Error ? mapped.name : 'unknown',
      ...(isStripeError(error) ? { stripe: stripeErrorFacts(error) } : {}),
    });
    throw mapped;
  }
}

class Charge {
  readonly amount: number;
  readonly orderId: string;

  constructor(
    readonly order: Order,
    readonly deps: ChargePaymentDeps,
  ) {
    this.amount = orderTotal(order);
    this.orderId = order.orderId;
  }

  async authorise({ record, previous }: AuthorisePaymentInput): Promise<ChargeAuthorisation> {
    const stripe = await this.deps.stripe();
    const payment = paymentRecordFrom(record);
    if (payment?.paymentStatus === 'refunded') {
      // A refunded PaymentIntent still reads `succeeded` at Stripe: resuming it would count as paid.
      throw new PaymentRefundedError(`the order's payment ${payment.paymentIntentId ?? ''} was refunded; charging the order again needs a person`);
    }
    const recorded = payment?.paymentIntentId;
    if (previous !== null && recorded !== undefined && previous.paymentIntentId !== recorded) {
      await this.cancelUnrecorded(stripe, previous, recorded);
    }
    const known = recorded ?? previous?.paymentIntentId;
    if (known === undefined) return this.create(stripe);

    const pi = await stripe.paymentIntents.retrieve(known);
    this.deps.logger.info('ChargePayment resumes a known PaymentIntent', {
      orderId: this.orderId,
      paymentIntentId: pi.id,
      stripeStatus: pi.status,
      recorded: known === recorded,
    });
    this.checkMatchesOrder(pi);
    return this.settle(stripe, pi);
  }

  async capture({ authorisation }: CapturePaymentInput): Promise<ChargePaymentOutput> {
    const stripe = await this.deps.stripe();
    let pi: Stripe.PaymentIntent = await stripe.paymentIntents.retrieve(authorisation.paymentIntentId);
    this.checkMatchesOrder(pi);
    for (let step = 0; step < MAX_STEPS; step++) {
      switch (pi.status) {
        case 'succeeded':
          return ChargePaymentOutputSchema.parse(this.result(pi, 'captured'));
        case 'requires_capture':
          pi = await this.captureOnce(stripe, pi);
          break;
        case 'processing':
          throw stillProcessing(pi);
        case 'canceled':
          throw authorisationCanceled(pi);
        case 'requires_payment_method':
        case 'requires_confirmation':
        case 'requires_action':
          throw new PaymentMismatchError(`PaymentIntent ${pi.id} is ${pi.status}: it holds no authorisation to capture`);
        default:
          throw new Error(`PaymentIntent ${pi.id} has an unknown status ${String((pi as { status: unknown }).status)}`);
      }
    }
    throw new Error(`PaymentIntent ${pi.id} did not settle after ${MAX_STEPS} steps (status ${pi.status})`);
  }

  /**
   * Creates a manual-capture PaymentIntent with the order's card, unconfirmed: nothing is held until
   * the state machine has recorded it and calls `authorise` again, which confirms it.
   */
  private async create(stripe: PaymentStripe): Promise<ChargeAuthorisation> {
    const pi = await stripe.paymentIntents.create(
      {
        amount: this.amount,
        currency: this.order.currency,
        capture_method: 'manual',
        payment_method: this.order.payment.paymentMethodId,
        allowed_payment_method_types: ['card'],
        metadata: { orderId: this.orderId },
      },
      { idempotencyKey: chargeKeys.create(this.orderId) },
    );
    this.checkMatchesOrder(pi);
    // Whatever Stripe says of it (a replayed create answers as it did the first time), it is
    // settled only on the next call, once recorded.
    return ChargeAuthorisationSchema.parse({ paymentIntentId: pi.id, amount: pi.amount, currency: pi.currency, status: 'created' });
  }

  /** Where a PaymentIntent of this order stands, confirming it again after an earlier decline. */
  private async settle(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<ChargeAuthorisation> {
    for (let step = 0; step < MAX_STEPS; step++) {
      switch (pi.status) {
        case 'requires_capture':
          return ChargeAuthorisationSchema.parse(this.result(pi, 'authorised'));
        case 'succeeded':
          return ChargeAuthorisationSchema.parse(this.result(pi, 'captured'));
        case 'requires_action':
          return this.declined(pi, 'authentication_required'); // 3-D Secure asked: no customer here to answer it
        case 'requires_payment_method':
        case 'requires_confirmation':
          try {
            pi = await this.confirm(stripe, pi);
          } catch (error) {
            if (isStripeError(error, 'StripeCardError')) return this.declined(pi, declineReason(error));
            throw error;
          }
          break;
        case 'processing':
          throw stillProcessing(pi);
        case 'canceled':
          throw authorisationCanceled(pi);
        default:
          throw new Error(`PaymentIntent ${pi.id} has an unknown status ${String((pi as { status: unknown }).status)}`);
      }
    }
    throw new Error(`PaymentIntent ${pi.id} did not settle after ${MAX_STEPS} steps (status ${pi.status})`);
  }

  /**
   * `previous` was not recorded: another PaymentIntent was, first (possible only once Stripe has
   * forgotten the authorise key). Keep the recorded one and release the hold of ours.
   */
  private async cancelUnrecorded(stripe: PaymentStripe, previous: ChargeAuthorisation, recorded: string): Promise<void> {
    const mismatch = () => new PaymentMismatchError(`PaymentIntent ${previous.paymentIntentId} was captured but the order record names ${recorded}`);
    if (previous.status === 'captured') throw mismatch();
    this.deps.logger.warn('ChargePayment found another PaymentIntent recorded; canceling its own', {
      orderId: this.orderId,
      paymentIntentId: previous.paymentIntentId,
      recordedPaymentIntentId: recorded,
    });
    const pi = await stripe.paymentIntents.retrieve(previous.paymentIntentId);
    this.checkMatchesOrder(pi);
    if (pi.status === 'canceled') return;
    if (pi.status === 'succeeded') throw mismatch();
    await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'duplicate' }, { idempotencyKey: chargeKeys.cancelDuplicate(this.orderId, pi.id) });
  }

  private async captureOnce(stripe: PaymentStripe, pi: Stripe.PaymentIntent): Promise<Stripe.PaymentIntent> {
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
    return stripe.paymentIntents.confirm(
      pi.id,
      { payment_method: this.order.payment.paymentMethodId },
      { idempotencyKey: chargeKeys.confirm(this.orderId, after) },
    );
  }

  /** A PaymentIntent must be for this order: its amount, currency and `metadata.orderId`. */
  private checkMatchesOrder(pi: Stripe.PaymentIntent): void {
    if (pi.amount !== this.amount || pi.currency !== this.order.currency) {
      throw new PaymentMismatchError(
        `PaymentIntent ${pi.id} is for ${pi.amount} ${pi.currency}, the order total is ${this.amount} ${this.order.currency}`,
      );
    }
    const owner = pi.metadata?.['orderId'];
    if (owner !== undefined && owner !== this.orderId) throw new PaymentMismatchError(`PaymentIntent ${pi.id} belongs to another order`);
  }

  private result(pi: Stripe.PaymentIntent, status: 'authorised' | 'captured') {
    return { paymentIntentId: pi.id, amount: status === 'captured' ? pi.amount_received : pi.amount, currency: pi.currency, status };
  }

  private declined(pi: Stripe.PaymentIntent, reason: string): ChargeAuthorisation {
    return ChargeAuthorisationSchema.parse({ paymentIntentId: pi.id, amount: pi.amount, currency: pi.currency, status: 'declined', declineReason: reason });
  }
}

function stillProcessing(pi: Stripe.PaymentIntent): SagaError {
  return new SagaError('PaymentProviderUnavailable', `payment ${pi.id} is still processing at Stripe; retry later`);
}

function authorisationCanceled(pi: Stripe.PaymentIntent): SagaError {
  return new SagaError(
    'PaymentDeclined',
    `authorisation_canceled: the authorisation was canceled before capture (cancellation_reason: ${pi.cancellation_reason ?? 'unknown'}), e.g. it expired`,
  );
}

/**
 * The PaymentIntent does not match the order (amount, currency, order) or the input's account of it:
 * the order changed after it was charged, or the state machine passed the wrong PaymentIntent. Not in
 * the taxonomy, so it escalates to a person.
 */
export class PaymentMismatchError extends Error {
  override readonly name = 'PaymentMismatch';
}

/**
 * The order record says the order's payment was refunded (its compensation ran): ChargePayment
 * running again for it is not something to settle automatically. Not in the taxonomy: it escalates.
 */
export class PaymentRefundedError extends Error {
  override readonly name = 'PaymentRefunded';
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
