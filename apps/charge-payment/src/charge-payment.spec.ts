import { isSagaError, type ChargeAuthorisation, type OrderPaymentRecord } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, personalData, recordLookup, type SecretReader } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chargePayment, type ChargePaymentDeps } from './charge-payment.js';

// Unit tests: Stripe is the real SDK against the testkit's Stripe-wire server, whose faults produce
// each error class; the key comes from a stand-in secret reader. No AWS client: the order record is
// the step input, as the state machine's dynamodb:getItem gives it.

const ORDER_ID = 'ord-1001';
const TOTAL = 2999; // anOrder(): 2 × 1250 + 499, in eur

let server: StripeServer;
let logger: ReturnType<typeof memoryLogger>;
let secretReads: number;
let secret: SecretReader;

function deps(overrides: Partial<ChargePaymentDeps> = {}): ChargePaymentDeps {
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

/** The `authorise` input: no record and no previous result unless given. */
function authorise(options: { record?: OrderPaymentRecord; previous?: ChargeAuthorisation; order?: unknown } = {}) {
  return { action: 'authorise', order: options.order ?? anOrder(), record: recordLookup(ORDER_ID, options.record), previous: options.previous ?? null };
}

function capture(authorisation: unknown, order: unknown = anOrder()) {
  return { action: 'capture', order, authorisation };
}

/** A record naming `paymentIntentId`, as the state machine writes it after `authorise`. */
function recorded(paymentIntentId: string, paymentStatus: OrderPaymentRecord['paymentStatus'] = 'authorised'): OrderPaymentRecord {
  return { paymentIntentId, paymentStatus, amount: TOTAL, currency: 'eur' };
}

const authorisedAs = (paymentIntentId: string, amount = TOTAL) => ({ paymentIntentId, amount, currency: 'eur', status: 'authorised' }) as const;
const createdAs = (paymentIntentId: string, amount = TOTAL) => ({ paymentIntentId, amount, currency: 'eur', status: 'created' }) as const;

/**
 * The two `authorise` calls of the state machine: the first creates the PaymentIntent (unconfirmed), the
 * state machine records it and calls again with that result as `previous` and the record it read before
 * the write (so naming no PaymentIntent): the second confirms it.
 */
async function authoriseTwice(order: unknown = anOrder(), d: ChargePaymentDeps = deps()): Promise<{ created: ChargeAuthorisation; outcome: ChargeAuthorisation }> {
  const created = await chargePayment(authorise({ order }), d);
  expect(created.status).toBe('created');
  const outcome = await chargePayment(authorise({ order, previous: created }), d);
  return { created, outcome };
}

/** An authorisation as the state machine holds it before `capture`: created, recorded, confirmed. */
async function authorised(order: unknown = anOrder()): Promise<ChargeAuthorisation> {
  const { outcome } = await authoriseTwice(order);
  expect(outcome.status).toBe('authorised');
  return outcome;
}

function stripeSdk(): Stripe {
  return createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
}

async function authorisedIntent(orderId = ORDER_ID, amount = TOTAL): Promise<Stripe.PaymentIntent> {
  return stripeSdk().paymentIntents.create({ amount, currency: 'eur', capture_method: 'manual', confirm: true, payment_method: 'pm_card_visa', metadata: { orderId } });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(result instanceof Error)) throw new Error('expected a failure');
  return result;
}

const posts = () => server.requests({ method: 'POST' }).map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey]);

beforeEach(async () => {
  server = await startStripeServer();
  logger = memoryLogger();
  secretReads = 0;
  secret = async () => server.apiKey;
});
afterEach(async () => {
  await server.close();
});


describe('authorise', () => {
  it('first call: creates a manual-capture PaymentIntent, unconfirmed, with the create key and returns it created; nothing is held at Stripe', async () => {
    const out = await chargePayment(authorise(), deps());
    expect(out).toEqual({ paymentIntentId: expect.stringMatching(/^pi_/), amount: TOTAL, currency: 'eur', status: 'created' });
    expect(posts()).toEqual([['/v1/payment_intents', 'ord-1001:create:v1']]);
    expect(server.requests({ method: 'POST' })[0]!.params).toEqual({
      amount: String(TOTAL),
      currency: 'eur',
      capture_method: 'manual',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      metadata: { orderId: ORDER_ID },
    });
    expect(server.ledger()).toEqual([
      expect.objectContaining({ paymentIntentId: out.paymentIntentId, status: 'requires_confirmation', authorised: 0, authorisations: 0, captured: 0 }),
    ]);
    expect(logger.entries.map((e) => e.message)).toEqual(['ChargePayment started', 'ChargePayment created']);
  });

  it('second call (previous: the created result; the record read before it was written): confirms it with the confirm key, and only now is the total held', async () => {
    const created = await chargePayment(authorise(), deps());
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);

    const out = await chargePayment(authorise({ previous: created }), deps());
    expect(out).toEqual(authorisedAs(created.paymentIntentId));
    expect(posts()).toEqual([
      ['/v1/payment_intents', 'ord-1001:create:v1'],
      ['/v1/payment_intents/:id/confirm', 'ord-1001:confirm:v1'],
    ]);
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' })[0]!.params).toEqual({ payment_method: 'pm_card_visa' });
    expect(server.ledger()).toEqual([
      expect.objectContaining({ paymentIntentId: created.paymentIntentId, status: 'requires_capture', authorised: TOTAL, authorisations: 1, captured: 0 }),
    ]);
    expect(logger.entries.map((e) => e.message)).toEqual([
      'ChargePayment started',
      'ChargePayment created',
      'ChargePayment started',
      'ChargePayment resumes a known PaymentIntent',
      'ChargePayment authorised',
    ]);
    expect(logger.entries[3]!.extra[0]).toMatchObject({ paymentIntentId: created.paymentIntentId, stripeStatus: 'requires_confirmation', recorded: false });
  });

  it('a replayed first call (the state machine retrying before it recorded) returns the same PaymentIntent, created, and holds nothing', async () => {
    const first = await chargePayment(authorise(), deps());
    expect(await chargePayment(authorise(), deps())).toEqual(first);
    expect(server.requests({ method: 'POST' }).map((r) => r.replayed)).toEqual([false, true]);
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
  ])('a decline (%s) comes at the second call: declined with the PaymentIntent and the decline code, for the state machine to record', async (pm, code) => {
    const order = anOrder({ payment: { paymentMethodId: pm } });
    const created = await chargePayment(authorise({ order }), deps());
    expect(created.status).toBe('created'); // the create confirms nothing, so it never declines
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 0, authorised: 0 })]);

    const out = await chargePayment(authorise({ order, previous: created }), deps());
    const [entry] = server.ledger();
    expect(out).toEqual({ paymentIntentId: created.paymentIntentId, amount: TOTAL, currency: 'eur', status: 'declined', declineReason: code });
    expect(entry).toMatchObject({ paymentIntentId: created.paymentIntentId, status: 'requires_payment_method', declines: 1, authorised: 0, captured: 0 });
    expect(logger.entries.at(-1)).toEqual({
      level: 'info',
      message: 'ChargePayment declined',
      extra: [{ orderId: ORDER_ID, paymentIntentId: created.paymentIntentId, amount: TOTAL, declineReason: code }],
    });
    expect(JSON.stringify(logger.entries)).not.toContain(pm);
  });

  it('a decline Stripe reports without a PaymentIntent → PaymentDeclined (nothing to record)', async () => {
    const fake = {
      paymentIntents: {
        create: async () => {
          throw new Stripe.errors.StripeCardError({ type: 'card_error', message: 'Your card was declined.', code: 'card_declined', decline_code: 'do_not_honor' });
        },
      },
    } as unknown as Stripe;
    const error = await failure(chargePayment(authorise(), deps({ stripe: async () => fake })));
    expect(error).toMatchObject({ name: 'PaymentDeclined', message: 'do_not_honor', retriable: false, disposition: 'compensate' });
    expect(logger.entries.at(-1)!.extra[0]).toMatchObject({ errorName: 'PaymentDeclined', stripe: { type: 'StripeCardError', declineCode: 'do_not_honor' } });
  });

  it('resumes a recorded authorisation: authorised again, without creating', async () => {
    const pi = await authorisedIntent();
    const out = await chargePayment(authorise({ record: recorded(pi.id) }), deps());
    expect(out).toEqual(authorisedAs(pi.id));
    expect(server.requests({ method: 'POST' })).toHaveLength(1); // the fixture's own create
    expect(logger.entries.map((e) => e.message)).toContain('ChargePayment resumes a known PaymentIntent');
  });

  it('a recorded created PaymentIntent is confirmed; once it is, a retry (even after the keys are forgotten) does not confirm again', async () => {
    const created = await chargePayment(authorise(), deps());
    const input = authorise({ record: recorded(created.paymentIntentId, 'created') });
    expect(await chargePayment(input, deps())).toEqual(authorisedAs(created.paymentIntentId));
    server.forgetIdempotencyKeys();
    expect(await chargePayment(input, deps())).toEqual(authorisedAs(created.paymentIntentId));
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' }).map((r) => r.idempotencyKey)).toEqual(['ord-1001:confirm:v1']);
    expect(server.requests({ path: '/v1/payment_intents' })).toHaveLength(1);
    expect(server.ledger()).toEqual([expect.objectContaining({ authorised: TOTAL, authorisations: 1 })]);
  });

  it('refuses a record whose payment was refunded (PaymentRefunded escalates): a refunded capture must not count as paid', async () => {
    const pi = await authorisedIntent();
    await stripeSdk().paymentIntents.capture(pi.id);
    await stripeSdk().refunds.create({ payment_intent: pi.id });
    const before = server.requests().length;
    const error = await failure(chargePayment(authorise({ record: { ...recorded(pi.id, 'refunded'), refundId: 're_1' } }), deps()));
    expect(error.name).toBe('PaymentRefunded');
    expect(error.message).toContain(pi.id);
    expect(server.requests().length).toBe(before); // no Stripe call
  });

  it('resumes a recorded capture: captured, with the amount received', async () => {
    const pi = await authorisedIntent();
    await stripeSdk().paymentIntents.capture(pi.id);
    const out = await chargePayment(authorise({ record: recorded(pi.id, 'captured') }), deps());
    expect(out).toEqual({ paymentIntentId: pi.id, amount: TOTAL, currency: 'eur', status: 'captured' });
    expect(server.requests({ path: '/v1/payment_intents/:id/capture' })).toHaveLength(1);
  });

  it('a recorded decline (requires_payment_method) is confirmed again, keyed by the failed charge', async () => {
    server.faults.inject({ kind: 'decline', declineCode: 'try_again_later' });
    const { created, outcome: first } = await authoriseTwice();
    expect(first).toMatchObject({ paymentIntentId: created.paymentIntentId, status: 'declined', declineReason: 'try_again_later' });
    const failedCharge = server.paymentIntent(first.paymentIntentId)!['latest_charge'] as string;

    const out = await chargePayment(authorise({ record: recorded(first.paymentIntentId, 'declined') }), deps());
    expect(out).toEqual(authorisedAs(first.paymentIntentId));
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' }).map((r) => r.idempotencyKey)).toEqual([
      'ord-1001:confirm:v1',
      `ord-1001:confirm:${failedCharge}:v1`,
    ]);
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 1, authorisations: 1, captured: 0 })]);
  });

  it('a recorded decline confirmed again and declined again returns declined with the new code', async () => {
    server.faults.inject({ kind: 'decline', declineCode: 'try_again_later', times: 2 });
    const { outcome: first } = await authoriseTwice();
    const again = await chargePayment(authorise({ record: recorded(first.paymentIntentId, 'declined'), previous: first }), deps());
    expect(again).toEqual({ ...first, declineReason: 'try_again_later' });
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 2, authorisations: 0, authorised: 0 })]);
  });

  it('the create returns created whatever Stripe says; at the confirmation, requires_action → declined authentication_required, processing → PaymentProviderUnavailable', async () => {
    const intent = (status: string) => ({ id: 'pi_fake', status, amount: TOTAL, currency: 'eur', latest_charge: null, metadata: { orderId: ORDER_ID } });
    const fake = (confirmed: string) =>
      ({
        paymentIntents: {
          create: async () => intent('requires_action'),
          retrieve: async () => intent('requires_confirmation'),
          confirm: async () => intent(confirmed),
        },
      }) as unknown as Stripe;
    expect(await chargePayment(authorise(), deps({ stripe: async () => fake('requires_action') }))).toEqual(createdAs('pi_fake'));
    expect(await chargePayment(authorise({ previous: createdAs('pi_fake') }), deps({ stripe: async () => fake('requires_action') }))).toEqual({
      paymentIntentId: 'pi_fake',
      amount: TOTAL,
      currency: 'eur',
      status: 'declined',
      declineReason: 'authentication_required',
    });
    await expect(chargePayment(authorise({ previous: createdAs('pi_fake') }), deps({ stripe: async () => fake('processing') }))).rejects.toMatchObject({
      name: 'PaymentProviderUnavailable',
      retriable: true,
    });
  });

  it('a recorded authorisation that was canceled or expired → PaymentDeclined with a clear message', async () => {
    const pi = await authorisedIntent();
    server.expireAuthorisation(pi.id);
    const error = await failure(chargePayment(authorise({ record: recorded(pi.id) }), deps()));
    expect(error).toMatchObject({ name: 'PaymentDeclined' });
    expect(error.message).toBe('authorisation_canceled: the authorisation was canceled before capture (cancellation_reason: automatic), e.g. it expired');
  });

  it('previous lost the race to be recorded: it is canceled as a duplicate, and the recorded PaymentIntent is the one', async () => {
    const winner = await authorisedIntent();
    const loser = await authorisedIntent();
    const input = authorise({ record: recorded(winner.id), previous: authorisedAs(loser.id) });
    expect(await chargePayment(input, deps())).toEqual(authorisedAs(winner.id));
    const cancels = server.requests({ path: '/v1/payment_intents/:id/cancel' });
    expect(cancels.map((r) => [r.path, r.params, r.idempotencyKey])).toEqual([
      [`/v1/payment_intents/${loser.id}/cancel`, { cancellation_reason: 'duplicate' }, `ord-1001:cancel-duplicate:${loser.id}:v1`],
    ]);
    expect(server.ledger({ paymentIntentId: loser.id })).toEqual([expect.objectContaining({ status: 'canceled', captured: 0, canceled: TOTAL })]);
    expect(server.ledger({ paymentIntentId: winner.id })).toEqual([expect.objectContaining({ status: 'requires_capture' })]);

    // The state machine's retry of the same input: already canceled, so no second cancel.
    server.forgetIdempotencyKeys();
    expect(await chargePayment(input, deps())).toEqual(authorisedAs(winner.id));
    expect(server.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(1);
  });

  it('a created previous that lost the race is canceled before it ever held anything; the recorded one is confirmed', async () => {
    const loser = await chargePayment(authorise(), deps());
    server.forgetIdempotencyKeys();
    const winner = await chargePayment(authorise(), deps());
    expect(winner.paymentIntentId).not.toBe(loser.paymentIntentId);
    expect(await chargePayment(authorise({ record: recorded(winner.paymentIntentId, 'created'), previous: loser }), deps())).toEqual(
      authorisedAs(winner.paymentIntentId),
    );
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' }).map((r) => r.path)).toEqual([`/v1/payment_intents/${winner.paymentIntentId}/confirm`]);
    expect(server.ledger({ paymentIntentId: loser.paymentIntentId })).toEqual([
      expect.objectContaining({ status: 'canceled', authorised: 0, authorisations: 0, canceled: 0, captured: 0 }),
    ]);
    expect(server.paymentIntent(loser.paymentIntentId)).toMatchObject({ cancellation_reason: 'duplicate' });
  });

  it('a declined previous that lost the race is canceled too', async () => {
    const winner = await authorisedIntent();
    const { outcome: declined } = await authoriseTwice(anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclined' } }));
    expect(declined.status).toBe('declined');
    await chargePayment(authorise({ record: recorded(winner.id), previous: declined }), deps());
    expect(server.ledger({ paymentIntentId: declined.paymentIntentId })).toEqual([expect.objectContaining({ status: 'canceled' })]);
  });

  it('a captured previous that is not the recorded one → PaymentMismatch, nothing canceled', async () => {
    const winner = await authorisedIntent();
    const previous = { paymentIntentId: 'pi_capturedElsewhere', amount: TOTAL, currency: 'eur', status: 'captured' } as const;
    const error = await failure(chargePayment(authorise({ record: recorded(winner.id), previous }), deps()));
    expect(error).toMatchObject({ name: 'PaymentMismatch', message: `PaymentIntent pi_capturedElsewhere was captured but the order record names ${winner.id}` });
    expect(server.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(0);
  });

  it('previous without a PaymentIntent in the record is continued, not created again, even after Stripe forgot the create key', async () => {
    const first = await chargePayment(authorise(), deps());
    server.forgetIdempotencyKeys();
    expect(await chargePayment(authorise({ previous: first }), deps())).toEqual(authorisedAs(first.paymentIntentId));
    expect(server.requests({ path: '/v1/payment_intents' })).toHaveLength(1);
    expect(server.ledger()).toHaveLength(1);
  });

  it('a recorded PaymentIntent for another amount or another order → PaymentMismatch (escalates)', async () => {
    const other = await authorisedIntent(ORDER_ID, 5000);
    const error = await failure(chargePayment(authorise({ record: recorded(other.id) }), deps()));
    expect(error).toMatchObject({ name: 'PaymentMismatch', message: `PaymentIntent ${other.id} is for 5000 eur, the order total is 2999 eur` });
    const theirs = await authorisedIntent('ord-other');
    await expect(chargePayment(authorise({ record: recorded(theirs.id) }), deps())).rejects.toMatchObject({
      name: 'PaymentMismatch',
      message: `PaymentIntent ${theirs.id} belongs to another order`,
    });
    expect(server.ledger().every((e) => e.captured === 0 && e.status === 'requires_capture')).toBe(true);
  });

  it('a created previous for another amount → PaymentMismatch before it is confirmed', async () => {
    const created = await chargePayment(authorise(), deps());
    const error = await failure(chargePayment(authorise({ order: anOrder({ lines: [{ sku: 'SKU-1', quantity: 1, unitPrice: 1250 }] }), previous: created }), deps()));
    expect(error).toMatchObject({ name: 'PaymentMismatch', message: `PaymentIntent ${created.paymentIntentId} is for 2999 eur, the order total is 1250 eur` });
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' })).toHaveLength(0);
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);
  });
});

describe('capture', () => {
  it('captures the authorisation with the capture key', async () => {
    const authorisation = await authorised();
    const out = await chargePayment(capture(authorisation), deps());
    expect(out).toEqual({ paymentIntentId: authorisation.paymentIntentId, amount: TOTAL, currency: 'eur', status: 'captured' });
    expect(posts()).toEqual([
      ['/v1/payment_intents', 'ord-1001:create:v1'],
      ['/v1/payment_intents/:id/confirm', 'ord-1001:confirm:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
    ]);
    expect(server.ledger()).toEqual([expect.objectContaining({ authorised: TOTAL, captured: TOTAL, captures: 1 })]);
    expect(logger.entries.at(-1)).toMatchObject({ message: 'ChargePayment captured' });
  });

  it('a replayed capture charges once, within the key window and after it', async () => {
    const authorisation = await authorised();
    const first = await chargePayment(capture(authorisation), deps());
    expect(await chargePayment(capture(authorisation), deps())).toEqual(first);
    server.forgetIdempotencyKeys();
    expect(await chargePayment(capture(authorisation), deps())).toEqual(first);
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: TOTAL, captures: 1 })]);
  });

  it('an authorisation captured by a concurrent attempt meanwhile is done, not captured again', async () => {
    const authorisation = await authorised();
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { method: 'GET', path: '/v1/payment_intents/*' } });
    const pending = chargePayment(capture(authorisation), deps());
    await new Promise((r) => setTimeout(r, 50));
    await stripeSdk().paymentIntents.capture(authorisation.paymentIntentId);
    expect(await pending).toMatchObject({ status: 'captured' });
    expect(server.ledger()).toEqual([expect.objectContaining({ captures: 1 })]);
  });

  it('an authorisation that expired before capture → PaymentDeclined', async () => {
    const authorisation = await authorised();
    server.expireAuthorisation(authorisation.paymentIntentId);
    const error = await failure(chargePayment(capture(authorisation), deps()));
    expect(error).toMatchObject({ name: 'PaymentDeclined', message: expect.stringMatching(/^authorisation_canceled: .*cancellation_reason: automatic/) });
    expect(server.ledger()[0]).toMatchObject({ captured: 0 });
  });

  it('an authorisation that lapses between retrieve and capture → PaymentDeclined', async () => {
    const authorisation = await authorised();
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { path: '/v1/payment_intents/*/capture' } });
    const pending = failure(chargePayment(capture(authorisation), deps()));
    await new Promise((r) => setTimeout(r, 50));
    server.expireAuthorisation(authorisation.paymentIntentId);
    expect(await pending).toMatchObject({ name: 'PaymentDeclined', message: expect.stringContaining('authorisation_canceled') });
  });

  it('a capture-time outage → PaymentProviderUnavailable; the retry captures once', async () => {
    const authorisation = await authorised();
    server.faults.inject({ kind: '500', match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargePayment(capture(authorisation), deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await chargePayment(capture(authorisation), deps());
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: TOTAL, captures: 1 })]);
  });

  it('an authorisation for another amount, or with no authorisation at Stripe (declined, or created and never confirmed) → PaymentMismatch, nothing captured', async () => {
    const other = await authorisedIntent(ORDER_ID, 5000);
    await expect(chargePayment(capture(authorisedAs(other.id, 5000)), deps())).rejects.toMatchObject({ name: 'PaymentMismatch' });
    server.faults.inject({ kind: 'decline' });
    const { outcome: declined } = await authoriseTwice(anOrder({ orderId: 'ord-1002' }));
    expect(declined.status).toBe('declined');
    await expect(chargePayment(capture(authorisedAs(declined.paymentIntentId), anOrder({ orderId: 'ord-1002' })), deps())).rejects.toMatchObject({
      name: 'PaymentMismatch',
      message: `PaymentIntent ${declined.paymentIntentId} is requires_payment_method: it holds no authorisation to capture`,
    });
    const created = await chargePayment(authorise(), deps());
    await expect(chargePayment(capture(authorisedAs(created.paymentIntentId)), deps())).rejects.toMatchObject({
      name: 'PaymentMismatch',
      message: `PaymentIntent ${created.paymentIntentId} is requires_confirmation: it holds no authorisation to capture`,
    });
    expect(server.requests({ path: '/v1/payment_intents/:id/capture' })).toHaveLength(0);
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' })).toHaveLength(1); // the declined one's
  });
});

describe('errors', () => {
  it.each([
    ['a bad order', { ...authorise(), order: { ...anOrder(), currency: 'xyz' } }, 'order.currency invalid_value'],
    ['no action (the old input)', { order: anOrder() }, 'action invalid_union'],
    ['an unknown action', { ...authorise(), action: 'refund' }, 'action invalid_union'],
    ['a record attribute of the wrong type', { ...authorise(), record: { Item: { amount: { S: 'x' } } } }, 'record.Item.amount.N invalid_type'],
    ['an unknown payment status', { ...authorise(), record: { Item: { paymentStatus: { S: 'settled' } } } }, 'record.Item.paymentStatus.S invalid_value'],
    ['a record of another order', { ...authorise(), record: recordLookup('ord-other', { paymentIntentId: 'pi_1' }) }, 'record_of_another_order'],
    ['no previous', { action: 'authorise', order: anOrder(), record: {} }, 'previous invalid_type'],
    ['a previous of an unknown status', { ...authorise(), previous: { ...createdAs('pi_1'), status: 'requires_confirmation' } }, 'previous.status invalid_union'],
    ['a capture of a declined authorisation', capture({ ...authorisedAs('pi_1'), status: 'declined', declineReason: 'x' }), 'authorisation.status invalid_value'],
    ['a capture of a created (unconfirmed) PaymentIntent', capture(createdAs('pi_1')), 'authorisation.status invalid_value'],
    ['null', null, '(root) invalid_type'],
  ])('%s → InvalidOrder before any side effect', async (_name, input, issue) => {
    const error = await failure(chargePayment(input, deps()));
    expect(isSagaError(error, 'InvalidOrder')).toBe(true);
    expect(error.message).toContain(issue);
    expect(secretReads).toBe(0);
    expect(server.requests()).toHaveLength(0);
    for (const value of personalData(anOrder())) expect(error.message).not.toContain(value);
  });

  it.each([
    ['429', 'StripeRateLimitError'],
    ['500', 'StripeAPIError'],
    ['drop', 'StripeConnectionError'],
  ] as const)('Stripe %s → PaymentProviderUnavailable (retriable); nothing charged', async (kind, type) => {
    server.faults.inject({ kind, times: 'always' });
    const error = await failure(chargePayment(authorise(), deps()));
    expect(error).toMatchObject({ name: 'PaymentProviderUnavailable', retriable: true, disposition: 'escalate' });
    expect(error.message).toContain(type);
    expect((error.cause as { type: string }).type).toBe(type);
    expect(server.ledger()).toEqual([]);
  });

  it('an outage at the confirmation → PaymentProviderUnavailable, nothing held; the retry of the same input confirms once', async () => {
    const created = await chargePayment(authorise(), deps());
    server.faults.inject({ kind: '500', match: { path: '/v1/payment_intents/*/confirm' } });
    await expect(chargePayment(authorise({ previous: created }), deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable', retriable: true });
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);
    expect(await chargePayment(authorise({ previous: created }), deps())).toEqual(authorisedAs(created.paymentIntentId));
    expect(server.ledger()).toEqual([expect.objectContaining({ authorised: TOTAL, authorisations: 1 })]);
  });

  it('a confirmation whose answer is lost: the retry finds it authorised and does not confirm again', async () => {
    const created = await chargePayment(authorise(), deps());
    // Every answer lost, the client's own resend (same key) included: the confirmation ran once at Stripe.
    server.faults.inject({ kind: 'drop', afterProcessing: true, times: 'always', match: { path: '/v1/payment_intents/*/confirm' } });
    await expect(chargePayment(authorise({ previous: created }), deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_capture', authorisations: 1 })]);
    server.faults.clear();
    server.forgetIdempotencyKeys();
    expect(await chargePayment(authorise({ previous: created }), deps())).toEqual(authorisedAs(created.paymentIntentId));
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' }).filter((r) => !r.replayed)).toHaveLength(1);
    expect(server.ledger()).toEqual([expect.objectContaining({ authorised: TOTAL, authorisations: 1 })]);
  });

  it('a timeout → PaymentProviderUnavailable; the retry with the same key creates once, and it is authorised once', async () => {
    server.faults.inject({ kind: 'delay', delayMs: 300, match: { path: '/v1/payment_intents' } });
    const slow = deps({ stripe: async () => createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 100, maxNetworkRetries: 0 }) });
    await expect(chargePayment(authorise(), slow)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await new Promise((r) => setTimeout(r, 350));
    const created = await chargePayment(authorise(), deps());
    expect(server.requests({ path: '/v1/payment_intents' }).map((r) => r.replayed)).toEqual([false, true]);
    const out = await chargePayment(authorise({ previous: created }), deps());
    expect(server.ledger()).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorisations: 1 })]);
  });

  it('reads the Stripe key once per cold start; a failed read is not cached and passes through with its name', async () => {
    secret = async () => {
      throw Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    };
    const d = deps();
    await expect(chargePayment(authorise(), d)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(server.requests()).toHaveLength(0);
    secret = async () => server.apiKey;
    await authoriseTwice(anOrder(), d);
    await chargePayment(authorise({ order: anOrder({ orderId: 'ord-1002' }) }), d);
    expect(secretReads).toBe(2);
  });

  it('a wrong key → StripeAuthenticationError (escalates), the message holds no Stripe text', async () => {
    secret = async () => 'sk_test_wrongKey';
    const error = await failure(chargePayment(authorise(), deps()));
    expect(error.name).toBe('StripeAuthenticationError');
    expect(error.message).toMatch(/^ChargePayment: StripeAuthenticationError 401 \(req_\w+\)$/);
  });

  it('an idempotency conflict → StripeIdempotencyError (escalates)', async () => {
    await stripeSdk().paymentIntents.create({ amount: 100, currency: 'eur' }, { idempotencyKey: 'ord-1001:create:v1' });
    const error = await failure(chargePayment(authorise(), deps()));
    expect(error.name).toBe('StripeIdempotencyError');
  });
});
