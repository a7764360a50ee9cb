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
  it('creates a manual-capture PaymentIntent with the authorise key and returns it authorised; nothing is captured', async () => {
    const out = await chargePayment(authorise(), deps());
    expect(out).toEqual({ paymentIntentId: expect.stringMatching(/^pi_/), amount: TOTAL, currency: 'eur', status: 'authorised' });
    expect(posts()).toEqual([['/v1/payment_intents', 'ord-1001:authorise:v1']]);
    expect(server.requests({ method: 'POST' })[0]!.params).toEqual({
      amount: String(TOTAL),
      currency: 'eur',
      capture_method: 'manual',
      confirm: 'true',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      metadata: { orderId: ORDER_ID },
    });
    expect(server.ledger()).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, status: 'requires_capture', authorised: TOTAL, captured: 0 })]);
    expect(logger.entries.map((e) => e.message)).toEqual(['ChargePayment started', 'ChargePayment authorised']);
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
  ])('a decline (%s) returns declined with the PaymentIntent and the decline code, for the state machine to record', async (pm, code) => {
    const out = await chargePayment(authorise({ order: anOrder({ payment: { paymentMethodId: pm } }) }), deps());
    const [entry] = server.ledger();
    expect(out).toEqual({ paymentIntentId: entry!.paymentIntentId, amount: TOTAL, currency: 'eur', status: 'declined', declineReason: code });
    expect(entry).toMatchObject({ declines: 1, authorised: 0, captured: 0 });
    expect(logger.entries.at(-1)).toEqual({
      level: 'info',
      message: 'ChargePayment declined',
      extra: [{ orderId: ORDER_ID, paymentIntentId: entry!.paymentIntentId, amount: TOTAL, declineReason: code }],
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
    const first = await chargePayment(authorise(), deps());
    expect(first).toMatchObject({ status: 'declined', declineReason: 'try_again_later' });
    const failedCharge = server.paymentIntent(first.paymentIntentId)!['latest_charge'] as string;

    const out = await chargePayment(authorise({ record: recorded(first.paymentIntentId, 'declined') }), deps());
    expect(out).toEqual(authorisedAs(first.paymentIntentId));
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' }).map((r) => r.idempotencyKey)).toEqual([`ord-1001:confirm:${failedCharge}:v1`]);
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 1, authorisations: 1, captured: 0 })]);
  });

  it('a recorded decline confirmed again and declined again returns declined with the new code', async () => {
    server.faults.inject({ kind: 'decline', declineCode: 'try_again_later', times: 2 });
    const first = await chargePayment(authorise(), deps());
    const again = await chargePayment(authorise({ record: recorded(first.paymentIntentId, 'declined'), previous: first }), deps());
    expect(again).toEqual({ ...first, declineReason: 'try_again_later' });
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 2, authorisations: 0 })]);
  });

  it('requires_action → declined authentication_required; processing → PaymentProviderUnavailable', async () => {
    const fake = (status: string) =>
      ({
        paymentIntents: {
          create: async () => ({ id: 'pi_fake', status, amount: TOTAL, currency: 'eur', latest_charge: null, metadata: { orderId: ORDER_ID } }),
        },
      }) as unknown as Stripe;
    expect(await chargePayment(authorise(), deps({ stripe: async () => fake('requires_action') }))).toEqual({
      paymentIntentId: 'pi_fake',
      amount: TOTAL,
      currency: 'eur',
      status: 'declined',
      declineReason: 'authentication_required',
    });
    await expect(chargePayment(authorise(), deps({ stripe: async () => fake('processing') }))).rejects.toMatchObject({
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

  it('a declined previous that lost the race is canceled too', async () => {
    const winner = await authorisedIntent();
    const declined = await chargePayment(authorise({ order: anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclined' } }) }), deps());
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

  it('previous without a record (its write not done yet) is resumed, not created again', async () => {
    const first = await chargePayment(authorise(), deps());
    server.forgetIdempotencyKeys();
    expect(await chargePayment(authorise({ previous: first }), deps())).toEqual(first);
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
});

describe('capture', () => {
  it('captures the authorisation with the capture key', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    const out = await chargePayment(capture(authorisation), deps());
    expect(out).toEqual({ paymentIntentId: authorisation.paymentIntentId, amount: TOTAL, currency: 'eur', status: 'captured' });
    expect(posts()).toEqual([
      ['/v1/payment_intents', 'ord-1001:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
    ]);
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: TOTAL, captures: 1 })]);
    expect(logger.entries.at(-1)).toMatchObject({ message: 'ChargePayment captured' });
  });

  it('a replayed capture charges once, within the key window and after it', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    const first = await chargePayment(capture(authorisation), deps());
    expect(await chargePayment(capture(authorisation), deps())).toEqual(first);
    server.forgetIdempotencyKeys();
    expect(await chargePayment(capture(authorisation), deps())).toEqual(first);
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: TOTAL, captures: 1 })]);
  });

  it('an authorisation captured by a concurrent attempt meanwhile is done, not captured again', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { method: 'GET', path: '/v1/payment_intents/*' } });
    const pending = chargePayment(capture(authorisation), deps());
    await new Promise((r) => setTimeout(r, 50));
    await stripeSdk().paymentIntents.capture(authorisation.paymentIntentId);
    expect(await pending).toMatchObject({ status: 'captured' });
    expect(server.ledger()).toEqual([expect.objectContaining({ captures: 1 })]);
  });

  it('an authorisation that expired before capture → PaymentDeclined', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    server.expireAuthorisation(authorisation.paymentIntentId);
    const error = await failure(chargePayment(capture(authorisation), deps()));
    expect(error).toMatchObject({ name: 'PaymentDeclined', message: expect.stringMatching(/^authorisation_canceled: .*cancellation_reason: automatic/) });
    expect(server.ledger()[0]).toMatchObject({ captured: 0 });
  });

  it('an authorisation that lapses between retrieve and capture → PaymentDeclined', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { path: '/v1/payment_intents/*/capture' } });
    const pending = failure(chargePayment(capture(authorisation), deps()));
    await new Promise((r) => setTimeout(r, 50));
    server.expireAuthorisation(authorisation.paymentIntentId);
    expect(await pending).toMatchObject({ name: 'PaymentDeclined', message: expect.stringContaining('authorisation_canceled') });
  });

  it('a capture-time outage → PaymentProviderUnavailable; the retry captures once', async () => {
    const authorisation = await chargePayment(authorise(), deps());
    server.faults.inject({ kind: '500', match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargePayment(capture(authorisation), deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await chargePayment(capture(authorisation), deps());
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: TOTAL, captures: 1 })]);
  });

  it('an authorisation for another amount, or with no authorisation at Stripe → PaymentMismatch, nothing captured', async () => {
    const other = await authorisedIntent(ORDER_ID, 5000);
    await expect(chargePayment(capture(authorisedAs(other.id, 5000)), deps())).rejects.toMatchObject({ name: 'PaymentMismatch' });
    server.faults.inject({ kind: 'decline' });
    const declined = await chargePayment(authorise({ order: anOrder({ orderId: 'ord-1002' }) }), deps());
    await expect(chargePayment(capture(authorisedAs(declined.paymentIntentId), anOrder({ orderId: 'ord-1002' })), deps())).rejects.toMatchObject({
      name: 'PaymentMismatch',
      message: `PaymentIntent ${declined.paymentIntentId} is requires_payment_method: it holds no authorisation to capture`,
    });
    expect(server.requests({ path: '/v1/payment_intents/:id/capture' })).toHaveLength(0);
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
    ['a capture of a declined authorisation', capture({ ...authorisedAs('pi_1'), status: 'declined', declineReason: 'x' }), 'authorisation.status invalid_value'],
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

  it('a timeout → PaymentProviderUnavailable; the retry with the same key authorises once', async () => {
    server.faults.inject({ kind: 'delay', delayMs: 300, match: { path: '/v1/payment_intents' } });
    const slow = deps({ stripe: async () => createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 100, maxNetworkRetries: 0 }) });
    await expect(chargePayment(authorise(), slow)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await new Promise((r) => setTimeout(r, 350));
    const out = await chargePayment(authorise(), deps());
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
    await chargePayment(authorise(), d);
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
    await stripeSdk().paymentIntents.create({ amount: 100, currency: 'eur' }, { idempotencyKey: 'ord-1001:authorise:v1' });
    const error = await failure(chargePayment(authorise(), deps()));
    expect(error.name).toBe('StripeIdempotencyError');
  });
});
