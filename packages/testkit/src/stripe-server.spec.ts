import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startStripeServer, STRIPE_TEST_SECRET_KEY, type StripeServer } from './stripe-server.js';

let server: StripeServer;

function sdk(options: { maxNetworkRetries?: number; timeout?: number; key?: string } = {}): Stripe {
  return new Stripe(options.key ?? server.apiKey, {
    ...server.sdkOptions(),
    maxNetworkRetries: options.maxNetworkRetries ?? 0,
    timeout: options.timeout ?? 5_000,
  });
}

const authorise = (stripe: Stripe, extra: Partial<Stripe.PaymentIntentCreateParams> = {}, key?: string) =>
  stripe.paymentIntents.create(
    {
      amount: 4200,
      currency: 'eur',
      capture_method: 'manual',
      confirm: true,
      payment_method: 'pm_card_visa',
      metadata: { orderId: 'ord-1' },
      ...extra,
    },
    key === undefined ? undefined : { idempotencyKey: key },
  );

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(Stripe.errors.StripeError);
    return e as Stripe.errors.StripeError;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  server = await startStripeServer();
});
afterEach(async () => {
  await server.close();
});

describe('PaymentIntents', () => {
  it('authorises with capture_method manual, then captures', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    expect(pi.id).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(pi).toMatchObject({
      object: 'payment_intent',
      status: 'requires_capture',
      amount: 4200,
      amount_capturable: 4200,
      amount_received: 0,
      currency: 'eur',
      capture_method: 'manual',
      metadata: { orderId: 'ord-1' },
      livemode: false,
    });
    expect(pi.latest_charge).toMatch(/^ch_/);
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));

    const captured = await stripe.paymentIntents.capture(pi.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 4200, amount_capturable: 0 });

    const again = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge'] });
    expect(again.latest_charge).toMatchObject({ object: 'charge', captured: true, amount_captured: 4200, paid: true, status: 'succeeded' });
    expect(server.ledger()).toEqual([
      expect.objectContaining({
        paymentIntentId: pi.id,
        orderId: 'ord-1',
        authorised: 4200,
        captured: 4200,
        refunded: 0,
        net: 4200,
        authorisations: 1,
        captures: 1,
      }),
    ]);
  });

  it('captures part of an authorisation and releases the rest', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 1000 });
    expect(server.ledger({ paymentIntentId: pi.id })[0]).toMatchObject({ captured: 1000, released: 3200, canceled: 0 });
    const tooMuch = await rejection(authorise(stripe).then((p) => stripe.paymentIntents.capture(p.id, { amount_to_capture: 5000 })));
    expect(tooMuch).toMatchObject({ type: 'StripeInvalidRequestError', code: 'amount_too_large' });
  });

  it('creates unconfirmed, then confirms; automatic capture succeeds at once', async () => {
    const stripe = sdk();
    const bare = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', capture_method: 'manual' });
    expect(bare.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(bare.id, { payment_method: 'pm_card_mastercard' });
    expect(confirmed).toMatchObject({ status: 'requires_capture', payment_method: 'pm_card_mastercard' });

    const withPm = await stripe.paymentIntents.create({ amount: 500, currency: 'usd', payment_method: 'pm_card_visa' });
    expect(withPm.status).toBe('requires_confirmation');
    const auto = await stripe.paymentIntents.confirm(withPm.id);
    expect(auto).toMatchObject({ status: 'succeeded', amount_received: 500, capture_method: 'automatic_async' });

    const twice = await rejection(stripe.paymentIntents.confirm(withPm.id));
    expect(twice).toMatchObject({ type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state', statusCode: 400 });
  });

  it('declines test cards with a 402 card_error that embeds the PaymentIntent', async () => {
    const stripe = sdk();
    const err = await rejection(authorise(stripe, { payment_method: 'pm_card_chargeDeclined' }));
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect(err.payment_intent).toMatchObject({ status: 'requires_payment_method', amount: 4200 });
    expect(err.payment_intent?.last_payment_error).toMatchObject({ code: 'card_declined', decline_code: 'generic_decline' });
    expect(err.charge).toMatch(/^ch_/);
    const stored = await stripe.paymentIntents.retrieve(err.payment_intent!.id);
    expect(stored.status).toBe('requires_payment_method');

    const poor = await rejection(authorise(stripe, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }));
    expect(poor).toMatchObject({ type: 'StripeCardError', code: 'card_declined', decline_code: 'insufficient_funds' });
    expect(server.ledger().map((e) => [e.declines, e.authorised, e.captured])).toEqual([
      [1, 0, 0],
      [1, 0, 0],
    ]);
  });

  it('rejects unknown payment methods and parameters, and amounts below the minimum', async () => {
    const stripe = sdk();
    expect(await rejection(authorise(stripe, { payment_method: 'pm_card_nope' }))).toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 404,
      code: 'resource_missing',
      param: 'payment_method',
    });
    expect(await rejection(authorise(stripe, { amount: 10 }))).toMatchObject({ code: 'amount_too_small', param: 'amount' });
    const unknown = await rejection(authorise(stripe, { bogus: 'x' } as never));
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'bogus' });
    const missing = await rejection(stripe.paymentIntents.retrieve('pi_doesNotExist'));
    expect(missing).toMatchObject({ type: 'StripeInvalidRequestError', statusCode: 404, code: 'resource_missing' });
    expect(missing.message).toBe("No such payment_intent: 'pi_doesNotExist'");
  });

  it('cancels an uncaptured authorisation, releasing the hold; a second cancel or a capture is refused', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned', amount_capturable: 0 });
    expect(canceled.canceled_at).toEqual(expect.any(Number));
    expect(server.ledger()[0]).toMatchObject({ authorised: 4200, captured: 0, canceled: 4200, released: 4200, net: 0 });

    const again = await rejection(stripe.paymentIntents.cancel(pi.id));
    expect(again).toMatchObject({ type: 'StripeInvalidRequestError', code: 'payment_intent_unexpected_state' });
    const capture = await rejection(stripe.paymentIntents.capture(pi.id));
    expect(capture).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(capture.message).toContain('status of canceled');

    const done = await authorise(stripe);
    await stripe.paymentIntents.capture(done.id);
    expect(await rejection(stripe.paymentIntents.cancel(done.id))).toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('lets authorisations lapse: on demand, or when the window passes on the server clock', async () => {
    let clock = Date.parse('2026-11-22T10:00:00Z');
    await server.close();
    server = await startStripeServer({ now: () => clock, authorisationWindowMs: 7 * 86_400_000 });
    const stripe = sdk();
    const a = await authorise(stripe);
    const expired = server.expireAuthorisation(a.id);
    expect(expired).toMatchObject({ status: 'canceled', cancellation_reason: 'automatic' });

    const b = await authorise(stripe);
    clock += 7 * 86_400_000;
    expect((await stripe.paymentIntents.retrieve(b.id)).status).toBe('canceled');
    expect(await rejection(stripe.paymentIntents.capture(b.id))).toMatchObject({ code: 'payment_intent_unexpected_state' });
    expect(server.ledger({ paymentIntentId: b.id })[0]).toMatchObject({ canceled: 4200, captured: 0 });
  });
});

describe('Refunds', () => {
  it('refunds a captured payment; refunding again is charge_already_refunded', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    await stripe.paymentIntents.capture(pi.id);
    const refund = await stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: 'ord-1:refund:v1' });
    expect(refund).toMatchObject({ object: 'refund', status: 'succeeded', amount: 4200, payment_intent: pi.id, currency: 'eur' });
    expect(refund.id).toMatch(/^re_/);
    expect(refund.charge).toBe(pi.latest_charge);

    const replay = await stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: 'ord-1:refund:v1' });
    expect(replay.id).toBe(refund.id);

    const twice = await rejection(stripe.refunds.create({ payment_intent: pi.id }));
    expect(twice).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(twice).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(twice.message).toBe(`Charge ${pi.latest_charge as string} has already been refunded.`);

    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ id: refund.id, status: 'succeeded' });
    const list = await stripe.refunds.list({ payment_intent: pi.id });
    expect(list.data.map((r) => r.id)).toEqual([refund.id]);
    expect(server.ledger()[0]).toMatchObject({ captured: 4200, refunded: 4200, refunds: 1, net: 0 });
  });

  it('refunds partially, then the rest; refuses more than remains and uncaptured payments', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({ type: 'StripeInvalidRequestError' });
    await stripe.paymentIntents.capture(pi.id);
    await stripe.refunds.create({ payment_intent: pi.id, amount: 1200 });
    expect(await rejection(stripe.refunds.create({ payment_intent: pi.id, amount: 5000 }))).toMatchObject({ code: 'amount_too_large' });
    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(3000);
    expect(server.ledger()[0]).toMatchObject({ refunded: 4200, refunds: 2 });
    expect(await rejection(stripe.refunds.retrieve('re_missing'))).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('idempotency', () => {
  it('replays the saved response for the same key and parameters', async () => {
    const stripe = sdk();
    const first = await authorise(stripe, {}, 'ord-1:authorise:v1');
    const second = await authorise(stripe, {}, 'ord-1:authorise:v1');
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(server.requests({ method: 'POST', path: '/v1/payment_intents' }).map((r) => r.replayed)).toEqual([false, true]);
    expect(server.ledger()).toHaveLength(1);
    expect(server.ledger()[0]!.authorisations).toBe(1);
  });

  it('answers idempotency_error when a key is reused with other parameters or on another endpoint', async () => {
    const stripe = sdk();
    await authorise(stripe, {}, 'k-1');
    const mismatch = await rejection(authorise(stripe, { amount: 4300 }, 'k-1'));
    expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(mismatch).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    const other = await rejection(stripe.refunds.create({ payment_intent: 'pi_x' }, { idempotencyKey: 'k-1' }));
    expect(other).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(server.ledger()).toHaveLength(1);
  });

  it('replays a saved decline, but not a parameter error', async () => {
    const stripe = sdk();
    const a = await rejection(authorise(stripe, { payment_method: 'pm_card_chargeDeclined' }, 'k-decline'));
    const b = await rejection(authorise(stripe, { payment_method: 'pm_card_chargeDeclined' }, 'k-decline'));
    expect(b.payment_intent?.id).toBe(a.payment_intent?.id);
    expect(b.headers?.['idempotent-replayed']).toBe('true');

    await rejection(authorise(stripe, { payment_method: 'pm_card_unknown' }, 'k-bad'));
    const fixed = await authorise(stripe, { payment_method: 'pm_card_unknown' }, 'k-bad').catch((e: unknown) => e);
    expect(fixed).toMatchObject({ code: 'resource_missing' });
    expect(server.requests({ path: '/v1/payment_intents' }).at(-1)!.replayed).toBe(false);
  });

  it('forgets keys like Stripe after 24 hours: the same key then executes again', async () => {
    const stripe = sdk();
    const first = await authorise(stripe, {}, 'ord-1:authorise:v1');
    expect(server.forgetIdempotencyKeys()).toBe(1);
    const second = await authorise(stripe, {}, 'ord-1:authorise:v1');
    expect(second.id).not.toBe(first.id);
    expect(server.ledger({ orderId: 'ord-1' })).toHaveLength(2);
  });

  it('expires keys on the server clock', async () => {
    let clock = 1_000_000;
    await server.close();
    server = await startStripeServer({ now: () => clock, idempotencyKeyTtlMs: 60_000 });
    const stripe = sdk();
    const first = await authorise(stripe, {}, 'k');
    clock += 59_000;
    expect((await authorise(stripe, {}, 'k')).id).toBe(first.id);
    clock += 1_000;
    expect((await authorise(stripe, {}, 'k')).id).not.toBe(first.id);
  });
});

describe('authentication', () => {
  it('answers 401 for a wrong key (StripeAuthenticationError) and for a missing one', async () => {
    const err = await rejection(authorise(sdk({ key: 'sk_test_wrong_key_123456' })));
    expect(err).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(err.message).toBe('Invalid API Key provided: sk_test_****3456');
    const res = await fetch(`${server.url}/v1/payment_intents/pi_1`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(server.requests().every((r) => !JSON.stringify(r).includes(STRIPE_TEST_SECRET_KEY))).toBe(true);
  });

  it('accepts the configured keys only', async () => {
    await server.close();
    server = await startStripeServer({ apiKeys: ['sk_test_a', 'sk_test_b'] });
    expect(server.apiKey).toBe('sk_test_a');
    await expect(authorise(sdk({ key: 'sk_test_b' }))).resolves.toMatchObject({ status: 'requires_capture' });
    await expect(authorise(sdk({ key: STRIPE_TEST_SECRET_KEY }))).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
  });

  it('answers unknown routes with 404 invalid_request_error', async () => {
    const res = await fetch(`${server.url}/v1/customers`, { headers: { Authorization: `Bearer ${server.apiKey}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Unrecognized request URL (GET: /v1/customers)');
  });
});

describe('faults', () => {
  it('429 → StripeRateLimitError, not retried by the SDK without Stripe-Should-Retry', async () => {
    server.faults.inject({ kind: '429', match: { method: 'POST', path: '/v1/payment_intents' } });
    const err = await rejection(authorise(sdk({ maxNetworkRetries: 2 })));
    expect(err).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect(err).toMatchObject({ statusCode: 429, code: 'rate_limit' });
    expect(server.requests()).toHaveLength(1);
    expect(server.requests()[0]).toMatchObject({ status: 429, fault: '429' });
    expect(server.ledger()).toHaveLength(0);
    expect(server.faults.list()).toHaveLength(0);
  });

  it('429 with shouldRetry is retried by the SDK', async () => {
    server.faults.inject({ kind: '429', shouldRetry: true });
    const pi = await authorise(sdk({ maxNetworkRetries: 2 }));
    expect(pi.status).toBe('requires_capture');
    expect(server.requests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('500 → StripeAPIError; with maxNetworkRetries 2 the SDK retries with the same key and succeeds', async () => {
    server.faults.inject({ kind: '500', times: 'always' });
    const err = await rejection(authorise(sdk({ maxNetworkRetries: 0 })));
    expect(err).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(err).toMatchObject({ statusCode: 500, rawType: 'api_error' });
    server.faults.clear();

    server.faults.inject({ kind: '500', match: { path: '/v1/payment_intents' } });
    const pi = await authorise(sdk({ maxNetworkRetries: 2 }));
    expect(pi.status).toBe('requires_capture');
    const attempts = server.requests({ path: '/v1/payment_intents' }).slice(1);
    expect(attempts.map((r) => r.status)).toEqual([500, 200]);
    expect(attempts[0]!.idempotencyKey).toMatch(/^stripe-node-retry-/);
    expect(attempts[1]!.idempotencyKey).toBe(attempts[0]!.idempotencyKey);
    expect(server.ledger()).toHaveLength(1);
  });

  it('drop → StripeConnectionError (the SDK retries a reset connection once even with retries off)', async () => {
    server.faults.inject({ kind: 'drop', times: 2 });
    const err = await rejection(authorise(sdk({ maxNetworkRetries: 0 })));
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(server.requests().map((r) => r.status)).toEqual([null, null]);
    expect(server.ledger()).toHaveLength(0);
  });

  it('drop after processing: the retry with the same key replays, so nothing happens twice', async () => {
    server.faults.inject({ kind: 'drop', afterProcessing: true, match: { path: '/v1/payment_intents' } });
    const pi = await authorise(sdk({ maxNetworkRetries: 2 }), {}, 'ord-1:authorise:v1');
    expect(server.requests().map((r) => [r.status, r.replayed])).toEqual([
      [null, false],
      [200, true],
    ]);
    expect(server.ledger()).toEqual([expect.objectContaining({ paymentIntentId: pi.id, authorisations: 1 })]);
  });

  it('delay beyond the client timeout → StripeConnectionError while the server still executes', async () => {
    server.faults.inject({ kind: 'delay', delayMs: 400, match: { path: '/v1/payment_intents' } });
    const err = await rejection(authorise(sdk({ maxNetworkRetries: 0, timeout: 100 }), {}, 'k-slow'));
    expect(err).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(err.message).toContain('timeout');
    // A retry while the first is still executing gets the 409 in-flight answer...
    const busy = await rejection(authorise(sdk(), {}, 'k-slow'));
    expect(busy.statusCode).toBe(409);
    expect(busy.rawType).toBe('idempotency_error');
    await new Promise((r) => setTimeout(r, 500));
    // ...and once it has finished, the saved result.
    const pi = await authorise(sdk(), {}, 'k-slow');
    expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(server.ledger()).toHaveLength(1);
  });

  it('decline makes the next confirmation fail even with a good card', async () => {
    server.faults.inject({ kind: 'decline', declineCode: 'do_not_honor' });
    const stripe = sdk();
    const err = await rejection(authorise(stripe));
    expect(err).toMatchObject({ type: 'StripeCardError', decline_code: 'do_not_honor' });
    await expect(authorise(stripe)).resolves.toMatchObject({ status: 'requires_capture' });
  });

  it('a decline fault is only consumed by confirmations', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe);
    server.faults.inject({ kind: 'decline' });
    await stripe.paymentIntents.capture(pi.id);
    await stripe.paymentIntents.retrieve(pi.id);
    expect(server.faults.list()).toHaveLength(1);
  });

  it('matches paths with wildcards and counts times', async () => {
    const stripe = sdk();
    const fault = server.faults.inject({ kind: '500', match: { method: 'POST', path: '/v1/payment_intents/:id/capture' }, times: 2 });
    expect(fault).toMatchObject({ remaining: 2, applied: 0 });
    const pi = await authorise(stripe);
    await rejection(stripe.paymentIntents.capture(pi.id));
    expect(server.faults.list()[0]).toMatchObject({ remaining: 1, applied: 1 });
    await rejection(stripe.paymentIntents.capture(pi.id));
    await expect(stripe.paymentIntents.capture(pi.id)).resolves.toMatchObject({ status: 'succeeded' });
  });

  it('rejects invalid fault specs', () => {
    expect(() => server.faults.inject({ kind: 'boom' as never })).toThrow(/kind must be one of/);
    expect(() => server.faults.inject({ kind: '429', times: 0 })).toThrow(/times/);
    expect(() => server.faults.inject({ kind: '429', afterProcessing: true })).toThrow(/afterProcessing/);
    expect(() => server.faults.inject({ kind: '429', match: { path: 'v1' } })).toThrow(/path/);
  });
});

describe('admin endpoint', () => {
  const admin = (path: string, init?: RequestInit) =>
    fetch(`${server.url}/__admin${path}`, { ...init, headers: { 'content-type': 'application/json' } }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  it('injects, lists and clears faults over HTTP', async () => {
    const created = await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: '429', times: 'always', match: { path: '/v1/refunds' } }) });
    expect(created.status).toBe(201);
    expect((await admin('/faults')).body['faults']).toHaveLength(1);
    const stripe = sdk();
    const pi = await authorise(stripe);
    await stripe.paymentIntents.capture(pi.id);
    await expect(stripe.refunds.create({ payment_intent: pi.id })).rejects.toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    const id = (created.body['faults'] as Array<{ id: string }>)[0]!.id;
    expect((await admin(`/faults/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expect(stripe.refunds.create({ payment_intent: pi.id })).resolves.toMatchObject({ status: 'succeeded' });
    expect((await admin('/faults', { method: 'POST', body: JSON.stringify({ kind: 'nope' }) })).status).toBe(400);
  });

  it('serves the ledger and the request log, forgets keys, expires and resets', async () => {
    const stripe = sdk();
    const pi = await authorise(stripe, {}, 'ord-1:authorise:v1');
    expect((await admin('/ledger?orderId=ord-1')).body['ledger']).toEqual([expect.objectContaining({ paymentIntentId: pi.id })]);
    expect((await admin('/ledger?orderId=other')).body['ledger']).toEqual([]);
    const log = (await admin('/requests?method=POST')).body['requests'] as Array<Record<string, unknown>>;
    expect(log).toEqual([
      expect.objectContaining({ path: '/v1/payment_intents', idempotencyKey: 'ord-1:authorise:v1', status: 200 }),
    ]);
    expect(log[0]!['params']).toMatchObject({ amount: '4200', metadata: { orderId: 'ord-1' }, confirm: 'true' });
    expect((await admin('/idempotency-keys/forget', { method: 'POST' })).body).toEqual({ forgotten: 1 });
    expect((await admin(`/payment_intents/${pi.id}/expire`, { method: 'POST' })).body).toMatchObject({ status: 'canceled' });
    expect((await admin('/reset', { method: 'POST' })).status).toBe(200);
    expect(server.ledger()).toEqual([]);
    expect((await admin('/nope')).status).toBe(404);
  });
});
