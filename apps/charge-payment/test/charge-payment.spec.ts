import { Logger } from '@aws-lambda-powertools/logger';
import type { ChargeAuthorisation, Order, OrderPaymentRecord } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, personalData, recordLookup } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chargePayment, type ChargePaymentDeps } from '../src/charge-payment.js';
import { createHandler, defaultDeps, SERVICE_NAME } from '../src/lambda.js';

// Integration: the real Stripe SDK over HTTP against the testkit's Stripe server (with the SDK's own
// retries), driven the way the state machine drives the function: read the order record, authorise,
// record the PaymentIntent with a conditional write, capture.

let stripe: StripeServer;
let records: OrderRecords;

beforeEach(async () => {
  stripe = await startStripeServer();
  records = new OrderRecords();
});
afterEach(async () => {
  await stripe.close();
});

function deps(overrides: Partial<ChargePaymentDeps> = {}): ChargePaymentDeps {
  return {
    stripe: createStripeProvider({ secretKey: stripe.apiKey, api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 2 }, async () => undefined),
    logger: memoryLogger(),
    ...overrides,
  };
}

/** The orders table's payment records, written as the state machine's `dynamodb:updateItem` states write them. */
class OrderRecords {
  readonly items = new Map<string, OrderPaymentRecord>();

  /** `dynamodb:getItem`'s output: the `record` of the step input. */
  lookup(orderId: string): Record<string, unknown> {
    return recordLookup(orderId, this.items.get(orderId));
  }

  /** The conditional write `attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi`: false when another PaymentIntent is recorded. */
  record(orderId: string, { paymentIntentId, status, amount, currency }: ChargeAuthorisation): boolean {
    const current = this.items.get(orderId);
    if (current?.paymentIntentId !== undefined && current.paymentIntentId !== paymentIntentId) return false;
    this.items.set(orderId, { ...current, paymentIntentId, paymentStatus: status, amount, currency, updatedAt: new Date().toISOString() });
    return true;
  }
}

type Invoke = (event: unknown) => Promise<ChargeAuthorisation>;

/**
 * What the state machine does around the function (stacks/ builds it in ASL): a pass reads the record,
 * authorises and records the PaymentIntent; when another PaymentIntent was recorded first it comes back
 * with `previous`. It captures only what it recorded as authorised, then records the capture. A
 * `declined` or `captured` authorisation is recorded and returned (the state machine then fails the
 * step with PaymentDeclined, or goes on).
 */
async function chargeLikeTheStateMachine(order: Order, invoke: Invoke = (event) => chargePayment(event, deps())): Promise<ChargeAuthorisation> {
  let previous: ChargeAuthorisation | null = null;
  for (let pass = 0; pass < 3; pass++) {
    const authorisation = await invoke({ action: 'authorise', order, record: records.lookup(order.orderId), previous });
    if (!records.record(order.orderId, authorisation)) {
      previous = authorisation;
      continue;
    }
    if (authorisation.status !== 'authorised') return authorisation;
    const payment = await invoke({ action: 'capture', order, authorisation });
    records.record(order.orderId, payment);
    return payment;
  }
  throw new Error('the order record kept naming another PaymentIntent');
}

describe('ChargePayment against Stripe-wire, driven like the state machine', () => {
  it('authorises, is recorded, captures: one PaymentIntent, one capture', async () => {
    const out = await chargeLikeTheStateMachine(anOrder());
    expect(out).toEqual({ paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'captured' });
    expect(records.items.get('ord-1001')).toMatchObject({ paymentIntentId: out.paymentIntentId, paymentStatus: 'captured' });
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([
      expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorised: 2999, captured: 2999, captures: 1, refunded: 0 }),
    ]);
  });

  it('a replayed charge does not charge twice, even after Stripe forgot its idempotency keys (the record decides)', async () => {
    const first = await chargeLikeTheStateMachine(anOrder());
    expect(await chargeLikeTheStateMachine(anOrder())).toEqual(first);
    expect(stripe.forgetIdempotencyKeys()).toBeGreaterThan(0);
    expect(await chargeLikeTheStateMachine(anOrder())).toEqual(first);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
    expect(stripe.requests({ method: 'POST', path: '/v1/payment_intents' })).toHaveLength(1);
  });

  it('a review retry days later of an authorisation recorded but never captured captures that authorisation', async () => {
    stripe.faults.inject({ kind: '500', times: 3, match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargeLikeTheStateMachine(anOrder())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(records.items.get('ord-1001')).toMatchObject({ paymentStatus: 'authorised' });
    stripe.forgetIdempotencyKeys();
    const out = await chargeLikeTheStateMachine(anOrder());
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorisations: 1, captures: 1 })]);
  });

  it('two concurrent executions of the same order charge once', async () => {
    const [a, b] = await Promise.all([chargeLikeTheStateMachine(anOrder()), chargeLikeTheStateMachine(anOrder())]);
    expect(a.paymentIntentId).toBe(b.paymentIntentId);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });

  it('an authorisation that lost the race to be recorded (keys forgotten in between) is canceled; the recorded one is captured once', async () => {
    const order = anOrder();
    const authorise = (previous: ChargeAuthorisation | null) => chargePayment({ action: 'authorise', order, record: records.lookup(order.orderId), previous }, deps());
    const winner = await authorise(null);
    stripe.forgetIdempotencyKeys();
    const loser = await authorise(null);
    expect(loser.paymentIntentId).not.toBe(winner.paymentIntentId);
    expect(records.record(order.orderId, winner)).toBe(true);
    expect(records.record(order.orderId, loser)).toBe(false);

    // The losing execution comes back with `previous`, and carries on with the recorded PaymentIntent.
    const resumed = await authorise(loser);
    expect(resumed).toEqual(winner);
    expect(records.record(order.orderId, resumed)).toBe(true);
    await chargePayment({ action: 'capture', order, authorisation: resumed }, deps());
    await chargePayment({ action: 'capture', order, authorisation: winner }, deps());
    expect(stripe.ledger({ paymentIntentId: winner.paymentIntentId })).toEqual([expect.objectContaining({ captured: 2999, captures: 1 })]);
    expect(stripe.ledger({ paymentIntentId: loser.paymentIntentId })).toEqual([expect.objectContaining({ status: 'canceled', captured: 0, canceled: 2999 })]);
  });

  it('the SDK retries a lost response with the same key: one charge', async () => {
    stripe.faults.inject({ kind: 'drop', afterProcessing: true, match: { path: '/v1/payment_intents/*/capture' } });
    await chargeLikeTheStateMachine(anOrder());
    expect(stripe.requests({ path: '/v1/payment_intents/*/capture' }).map((r) => r.replayed)).toEqual([false, true]);
    expect(stripe.ledger()).toEqual([expect.objectContaining({ captures: 1 })]);
  });

  it('a decline is returned and recorded, nothing captured; a retry confirms the recorded PaymentIntent again', async () => {
    const order = anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const declined = await chargeLikeTheStateMachine(order);
    const [entry] = stripe.ledger({ orderId: 'ord-1001' });
    expect(declined).toEqual({ paymentIntentId: entry!.paymentIntentId, amount: 2999, currency: 'eur', status: 'declined', declineReason: 'insufficient_funds' });
    expect(records.items.get('ord-1001')).toMatchObject({ paymentIntentId: entry!.paymentIntentId, paymentStatus: 'declined' });

    expect(await chargeLikeTheStateMachine(order)).toEqual(declined);
    expect(stripe.requests({ path: '/v1/payment_intents/:id/confirm' })).toHaveLength(1);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ declines: 2, captured: 0 })]);
  });

  it('the Lambda handler works from environment configuration (STRIPE_API_BASE, STRIPE_SECRET_KEY), with no AWS settings', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const handler = createHandler(defaultDeps({ STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_MAX_NETWORK_RETRIES: '0' }));
      const out = await chargeLikeTheStateMachine(anOrder({ orderId: 'ord-handler' }), (event) => handler(event));
      expect(out.status).toBe('captured');
      expect(stripe.ledger({ orderId: 'ord-handler' })).toEqual([expect.objectContaining({ captures: 1 })]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('logs', () => {
  it('carry order ids, steps and outcomes but no personal data (Powertools JSON on stdout)', async () => {
    // Powertools writes info to stdout and warn/error to stderr: capture both.
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const d = deps({ logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' }) });
      const invoke: Invoke = (event) => chargePayment(event, d);
      await chargeLikeTheStateMachine(anOrder(), invoke);
      await chargeLikeTheStateMachine(anOrder(), invoke);
      await chargeLikeTheStateMachine(anOrder({ orderId: 'ord-1002', payment: { paymentMethodId: 'pm_card_chargeDeclined' } }), invoke);
      stripe.faults.inject({ kind: '429', times: 'always' });
      await expect(chargeLikeTheStateMachine(anOrder({ orderId: 'ord-1003' }), invoke)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
      await expect(chargeLikeTheStateMachine({ ...anOrder({ orderId: 'ord-1004' }), lines: [] }, invoke)).rejects.toMatchObject({ name: 'InvalidOrder' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const output = lines.join('');
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.length).toBeGreaterThanOrEqual(8);
    expect(logged.every((r) => r['service'] === SERVICE_NAME)).toBe(true);
    expect(logged.map((r) => r['message'])).toEqual(expect.arrayContaining(['ChargePayment authorised', 'ChargePayment captured', 'ChargePayment declined']));
    expect(logged.some((r) => r['level'] === 'WARN')).toBe(true);
    expect(logged.some((r) => r['orderId'] === 'ord-1002' && r['declineReason'] === 'generic_decline')).toBe(true);
    expect(logged.some((r) => r['orderId'] === 'ord-1003' && r['errorName'] === 'PaymentProviderUnavailable')).toBe(true);
    for (const value of [...personalData(anOrder()), 'pm_card_visa', 'pm_card_chargeDeclined', stripe.apiKey]) {
      expect(output).not.toContain(value);
    }
  });

  it('a key that is wrong is not logged either', async () => {
    const logger = memoryLogger();
    const wrongKey = 'sk_test_wrongKeyNotToBeLogged';
    const d = deps({ logger, stripe: async () => createStripeClient(wrongKey, { api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 }) });
    const error = (await chargeLikeTheStateMachine(anOrder(), (event) => chargePayment(event, d)).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: 'StripeAuthenticationError' });
    expect(JSON.stringify(logger.entries)).not.toContain(wrongKey);
    expect(error.message).not.toContain('wrongKey');
  });
});
