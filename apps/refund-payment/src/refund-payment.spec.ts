import { isSagaError, type OrderPaymentRecord } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, recordLookup, type SecretReader } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refundPayment, type RefundPaymentDeps } from './refund-payment.js';

// Unit tests: Stripe is the real SDK against the testkit's Stripe-wire server (a fake client covers the
// refund states it cannot produce); the key comes from a stand-in secret reader. No AWS client: the
// order record is the step input, as the state machine's dynamodb:getItem gives it.

const ORDER_ID = 'ord-1001';

let server: StripeServer;
let logger: ReturnType<typeof memoryLogger>;
let secretReads: number;
let secret: SecretReader;

function deps(overrides: Partial<RefundPaymentDeps> = {}): RefundPaymentDeps {
  return {
    stripe: createStripeProvider(
      { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe', api: server.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 },
      (id) => {
        secretReads++;
        return secret(id);
      },
    ),
    logger,
    ...overrides,
  };
}

/** The step input: the order and its record (none unless given). */
function input(record?: OrderPaymentRecord) {
  return { order: anOrder(), record: recordLookup(ORDER_ID, record) };
}

/** What the state machine recorded of `paymentIntentId` (ChargePayment's authorisation, capture, or an earlier compensation). */
function recorded(paymentIntentId: string, paymentStatus: OrderPaymentRecord['paymentStatus'] = 'captured', refundId?: string): OrderPaymentRecord {
  return { paymentIntentId, paymentStatus, amount: 2999, currency: 'eur', ...(refundId && { refundId }) };
}

function sdk(): Stripe {
  return createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
}

async function authorised(options: { orderId?: string; capture?: boolean; pm?: string } = {}): Promise<Stripe.PaymentIntent> {
  const stripe = sdk();
  const pi = await stripe.paymentIntents.create({
    amount: 2999,
    currency: 'eur',
    capture_method: 'manual',
    confirm: true,
    payment_method: options.pm ?? 'pm_card_visa',
    metadata: { orderId: options.orderId ?? ORDER_ID },
  });
  return options.capture ? stripe.paymentIntents.capture(pi.id) : pi;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(result instanceof Error)) throw new Error('expected a failure');
  return result;
}

beforeEach(async () => {
  server = await startStripeServer();
  logger = memoryLogger();
  secretReads = 0;
  secret = async () => server.apiKey;
});
afterEach(async () => {
  await server.close();
});

describe('refundPayment: outcomes', () => {
  it('no record, or a record without a PaymentIntent (never charged) → noop, without calling Stripe', async () => {
    expect(await refundPayment(input(), deps())).toEqual({ outcome: 'noop' });
    expect(await refundPayment(input({ updatedAt: '2026-11-22T10:00:00.000Z' }), deps())).toEqual({ outcome: 'noop' });
    expect(secretReads).toBe(0);
    expect(server.requests()).toHaveLength(0);
  });

  it('an uncaptured authorisation → cancel with the cancel key → canceled', async () => {
    const pi = await authorised();
    expect(await refundPayment(input(recorded(pi.id, 'authorised')), deps())).toEqual({ outcome: 'canceled', paymentIntentId: pi.id });
    const cancel = server.requests({ path: '/v1/payment_intents/:id/cancel' });
    expect(cancel.map((r) => [r.idempotencyKey, r.params])).toEqual([['ord-1001:cancel:v1', { cancellation_reason: 'abandoned' }]]);
    expect(server.ledger()[0]).toMatchObject({ status: 'canceled', captured: 0, canceled: 2999 });
  });

  it('a declined intent (requires_payment_method) is canceled too', async () => {
    const error = await failure(authorised({ pm: 'pm_card_chargeDeclined' }));
    const piId = (error as unknown as { payment_intent: { id: string } }).payment_intent.id;
    expect(await refundPayment(input(recorded(piId, 'declined')), deps())).toEqual({ outcome: 'canceled', paymentIntentId: piId });
  });

  it('a captured payment → refund with the refund key → refunded, naming the PaymentIntent and the refund', async () => {
    const pi = await authorised({ capture: true });
    const out = await refundPayment(input(recorded(pi.id)), deps());
    expect(out).toEqual({ outcome: 'refunded', paymentIntentId: pi.id, refundId: expect.stringMatching(/^re_/) });
    const refunds = server.requests({ method: 'POST', path: '/v1/refunds' });
    expect(refunds.map((r) => [r.idempotencyKey, r.params])).toEqual([['ord-1001:refund:v1', { payment_intent: pi.id }]]);
    expect(server.ledger()[0]).toMatchObject({ captured: 2999, refunded: 2999, net: 0 });
  });

  it('refunding twice refunds once: the key replays, then (keys forgotten) the refund id comes from the record, else from Stripe', async () => {
    const pi = await authorised({ capture: true });
    const first = await refundPayment(input(recorded(pi.id)), deps());
    if (first.outcome !== 'refunded') throw new Error('expected a refund');
    expect(await refundPayment(input(recorded(pi.id)), deps())).toEqual(first);

    server.forgetIdempotencyKeys();
    expect(await refundPayment(input(recorded(pi.id, 'refunded', first.refundId)), deps())).toEqual(first);
    expect(server.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(0);
    expect(await refundPayment(input(recorded(pi.id)), deps())).toEqual(first);
    expect(server.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(1);
    expect(server.ledger()[0]).toMatchObject({ refunded: 2999, refunds: 1 });
  });

  it('a canceled intent → noop, unless the record says this step canceled it (a retry then reports canceled again)', async () => {
    const expired = await authorised();
    server.expireAuthorisation(expired.id);
    expect(await refundPayment(input(recorded(expired.id, 'authorised')), deps())).toEqual({ outcome: 'noop' });
    expect(await refundPayment(input(recorded(expired.id, 'canceled')), deps())).toEqual({ outcome: 'canceled', paymentIntentId: expired.id });
    expect(server.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(0);
  });

  it('an authorisation captured while we cancel → refunded', async () => {
    const pi = await authorised();
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { path: '/v1/payment_intents/*/cancel' } });
    const pending = refundPayment(input(recorded(pi.id, 'authorised')), deps());
    await new Promise((r) => setTimeout(r, 50));
    await sdk().paymentIntents.capture(pi.id);
    expect(await pending).toEqual({ outcome: 'refunded', paymentIntentId: pi.id, refundId: expect.stringMatching(/^re_/) });
    expect(server.ledger()[0]).toMatchObject({ captured: 2999, refunded: 2999 });
  });
});

describe('refundPayment: errors', () => {
  it.each([
    ['a bad order', { ...input(), order: { ...anOrder(), lines: [] } }, /^RefundPayment input: Invalid order: .*lines too_small/],
    ['no record (the old input)', { order: anOrder() }, /record invalid_type/],
    ['a record attribute of the wrong type', { ...input(), record: { Item: { paymentIntentId: { N: '1' } } } }, /record\.Item\.paymentIntentId\.S invalid_type/],
    ['a record of another order', { ...input(), record: recordLookup('ord-other', { paymentIntentId: 'pi_1' }) }, /record_of_another_order/],
  ])('%s → CompensationFailed before any side effect', async (_name, bad, message) => {
    const error = await failure(refundPayment(bad, deps()));
    expect(isSagaError(error, 'CompensationFailed')).toBe(true);
    expect(error.message).toMatch(message);
    expect(secretReads).toBe(0);
    expect(server.requests()).toHaveLength(0);
  });

  it.each([
    ['429', 'StripeRateLimitError'],
    ['500', 'StripeAPIError'],
    ['drop', 'StripeConnectionError'],
  ] as const)('Stripe %s → PaymentProviderUnavailable (retriable)', async (kind, type) => {
    const pi = await authorised({ capture: true });
    server.faults.inject({ kind, times: 'always', match: { path: '/v1/refunds' } });
    const error = await failure(refundPayment(input(recorded(pi.id)), deps()));
    expect(error).toMatchObject({ name: 'PaymentProviderUnavailable', retriable: true });
    expect(error.message).toContain(type);
    expect(server.ledger()[0]).toMatchObject({ refunded: 0 });
  });

  it('an unknown PaymentIntent → CompensationFailed', async () => {
    const error = await failure(refundPayment(input(recorded('pi_unknown')), deps()));
    expect(error).toMatchObject({ name: 'CompensationFailed', retriable: false, disposition: 'escalate' });
    expect(error.message).toContain('StripeInvalidRequestError 404 resource_missing');
  });

  it('a wrong key → CompensationFailed naming StripeAuthenticationError', async () => {
    const pi = await authorised({ capture: true });
    secret = async () => 'sk_test_wrong';
    const error = await failure(refundPayment(input(recorded(pi.id)), deps()));
    expect(error).toMatchObject({ name: 'CompensationFailed', message: expect.stringContaining('StripeAuthenticationError 401') });
  });

  it('a PaymentIntent of another order → CompensationFailed, nothing refunded', async () => {
    const theirs = await authorised({ orderId: 'ord-other', capture: true });
    await expect(refundPayment(input(recorded(theirs.id)), deps())).rejects.toMatchObject({
      name: 'CompensationFailed',
      message: `PaymentIntent ${theirs.id} belongs to another order`,
    });
    expect(server.ledger()[0]).toMatchObject({ refunded: 0 });
  });

  it('a refund Stripe reports failed → CompensationFailed', async () => {
    const fake = {
      paymentIntents: { retrieve: async () => ({ id: 'pi_x', status: 'succeeded', metadata: { orderId: ORDER_ID } }) },
      refunds: { create: async () => ({ id: 're_x', status: 'failed' }) },
    } as unknown as Stripe;
    await expect(refundPayment(input(recorded('pi_x')), deps({ stripe: async () => fake }))).rejects.toMatchObject({
      name: 'CompensationFailed',
      message: 'refund re_x of PaymentIntent pi_x failed',
    });
  });

  it('a status it cannot undo → CompensationFailed', async () => {
    const fake = { paymentIntents: { retrieve: async () => ({ id: 'pi_x', status: 'mystery', metadata: {} }) } } as unknown as Stripe;
    await expect(refundPayment(input(recorded('pi_x')), deps({ stripe: async () => fake }))).rejects.toMatchObject({ name: 'CompensationFailed' });
  });

  it('a secret that cannot be read passes through with its name, before any Stripe call', async () => {
    secret = async () => {
      throw Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    };
    await expect(refundPayment(input(recorded('pi_any')), deps())).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(server.requests()).toHaveLength(0);
  });
});
