import { Logger } from '@aws-lambda-powertools/logger';
import type { Order, OrderPaymentRecord, RefundPaymentOutput } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, personalData, recordLookup } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps, SERVICE_NAME } from '../src/lambda.js';
import { refundPayment, type RefundPaymentDeps } from '../src/refund-payment.js';

// Integration: the real Stripe SDK over HTTP against the testkit's Stripe server (with the SDK's own
// retries), driven the way the state machine drives the function: it passes the order record in and
// records the outcome.

let stripe: StripeServer;
let records: Map<string, OrderPaymentRecord>;

beforeEach(async () => {
  stripe = await startStripeServer();
  records = new Map();
});
afterEach(async () => {
  await stripe.close();
});

function deps(overrides: Partial<RefundPaymentDeps> = {}): RefundPaymentDeps {
  return {
    stripe: createStripeProvider({ secretKey: stripe.apiKey, api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 2 }, async () => undefined),
    logger: memoryLogger(),
    ...overrides,
  };
}

/**
 * Does what ChargePayment and the state machine do (same idempotency keys; the two apps may not import
 * each other): authorise with manual capture, record the PaymentIntent, optionally capture and record that.
 */
async function charge(order: Order, options: { capture: boolean }): Promise<Stripe.PaymentIntent> {
  const sdk = createStripeClient(stripe.apiKey, { api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
  let pi: Stripe.PaymentIntent = await sdk.paymentIntents.create(
    {
      amount: 2999,
      currency: order.currency,
      capture_method: 'manual',
      confirm: true,
      payment_method: order.payment.paymentMethodId,
      allowed_payment_method_types: ['card'],
      metadata: { orderId: order.orderId },
    },
    { idempotencyKey: `${order.orderId}:authorise:v1` },
  );
  records.set(order.orderId, { paymentIntentId: pi.id, paymentStatus: 'authorised', amount: 2999, currency: order.currency });
  if (options.capture) {
    pi = await sdk.paymentIntents.capture(pi.id, {}, { idempotencyKey: `${order.orderId}:capture:v1` });
    records.set(order.orderId, { ...records.get(order.orderId), paymentStatus: 'captured' });
  }
  return pi;
}

/** What the state machine does around RefundPayment: pass the record in, record the outcome. */
async function refundLikeTheStateMachine(order: Order, invoke = (event: unknown) => refundPayment(event, deps())): Promise<RefundPaymentOutput> {
  const out = await invoke({ order, record: recordLookup(order.orderId, records.get(order.orderId)) });
  if (out.outcome !== 'noop') {
    records.set(order.orderId, { ...records.get(order.orderId), paymentStatus: out.outcome, ...(out.outcome === 'refunded' && { refundId: out.refundId }) });
  }
  return out;
}

describe('RefundPayment against Stripe-wire, driven like the state machine', () => {
  it('authorise, capture, refund: the money comes back', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: true });
    expect(stripe.ledger({ orderId: order.orderId })[0]).toMatchObject({ captured: 2999, net: 2999 });

    const out = await refundLikeTheStateMachine(order);
    expect(out).toEqual({ outcome: 'refunded', paymentIntentId: pi.id, refundId: expect.stringMatching(/^re_/) });
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([
      expect.objectContaining({ paymentIntentId: pi.id, captured: 2999, refunded: 2999, refunds: 1, net: 0 }),
    ]);
  });

  it('refunding twice does not refund twice; the second (and a third after Stripe forgot the key) is refunded/done', async () => {
    const order = anOrder();
    await charge(order, { capture: true });
    const first = await refundLikeTheStateMachine(order);
    const second = await refundLikeTheStateMachine(order);
    expect(second).toEqual(first);
    stripe.forgetIdempotencyKeys();
    const third = await refundLikeTheStateMachine(order);
    expect(third).toEqual(first);
    expect(stripe.requests({ method: 'POST', path: '/v1/refunds' }).map((r) => r.error?.code ?? r.status)).toEqual([
      200,
      200, // replayed
      'charge_already_refunded', // the refund id then comes from the record
    ]);
    expect(stripe.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(0);
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([expect.objectContaining({ refunded: 2999, refunds: 1 })]);
  });

  it('cancels an uncaptured intent: the hold is released, nothing is captured; a retry reports the same', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: false });
    const out = await refundLikeTheStateMachine(order);
    expect(out).toEqual({ outcome: 'canceled', paymentIntentId: pi.id });
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([
      expect.objectContaining({ status: 'canceled', authorised: 2999, captured: 0, canceled: 2999, refunded: 0 }),
    ]);
    stripe.forgetIdempotencyKeys();
    expect(await refundLikeTheStateMachine(order)).toEqual(out);
    expect(stripe.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(1);
  });

  it('never charged → noop', async () => {
    expect(await refundLikeTheStateMachine(anOrder())).toEqual({ outcome: 'noop' });
    expect(stripe.requests()).toHaveLength(0);
  });

  it('an expired authorisation → noop (the hold already lapsed)', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: false });
    stripe.expireAuthorisation(pi.id);
    expect(await refundLikeTheStateMachine(order)).toEqual({ outcome: 'noop' });
  });

  it('recovers through Stripe outages: the SDK retries a 500 with the same key; a 429 surfaces as PaymentProviderUnavailable', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: true });
    stripe.faults.inject({ kind: '500', match: { path: '/v1/refunds' } });
    await expect(refundLikeTheStateMachine(order)).resolves.toMatchObject({ outcome: 'refunded' });

    const other = anOrder({ orderId: 'ord-1002' });
    await charge(other, { capture: true });
    stripe.faults.inject({ kind: '429', match: { path: '/v1/refunds' } });
    await expect(refundLikeTheStateMachine(other)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await expect(refundLikeTheStateMachine(other)).resolves.toMatchObject({ outcome: 'refunded' });
    expect(stripe.ledger().map((e) => [e.paymentIntentId === pi.id, e.refunds])).toEqual([
      [true, 1],
      [false, 1],
    ]);
  });

  it('the Lambda handler works from environment configuration, with no AWS settings', async () => {
    const order = anOrder({ orderId: 'ord-handler' });
    await charge(order, { capture: true });
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const handler = createHandler(defaultDeps({ STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url }));
      await expect(refundLikeTheStateMachine(order, (event) => handler(event))).resolves.toMatchObject({ outcome: 'refunded' });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('logs', () => {
  it('carry order ids and outcomes but no personal data (Powertools JSON on stdout/stderr)', async () => {
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const d = deps({ logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' }) });
      const invoke = (event: unknown) => refundPayment(event, d);
      const order = anOrder();
      await charge(order, { capture: true });
      await refundLikeTheStateMachine(order, invoke);
      await refundLikeTheStateMachine(order, invoke);
      const uncaptured = anOrder({ orderId: 'ord-1002' });
      await charge(uncaptured, { capture: false });
      await refundLikeTheStateMachine(uncaptured, invoke);
      await refundLikeTheStateMachine(anOrder({ orderId: 'ord-1003' }), invoke);
      stripe.faults.inject({ kind: '500', times: 'always' });
      records.set('ord-1004', { paymentIntentId: 'pi_gone', paymentStatus: 'captured' });
      await expect(refundLikeTheStateMachine(anOrder({ orderId: 'ord-1004' }), invoke)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
      await expect(refundLikeTheStateMachine({ ...order, lines: [] }, invoke)).rejects.toMatchObject({ name: 'CompensationFailed' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const output = lines.join('');
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.length).toBeGreaterThanOrEqual(8);
    expect(logged.every((r) => r['service'] === SERVICE_NAME)).toBe(true);
    expect(logged.filter((r) => r['message'] === 'RefundPayment done').map((r) => r['outcome'])).toEqual(['refunded', 'refunded', 'canceled', 'noop']);
    expect(logged.some((r) => r['orderId'] === 'ord-1004' && r['errorName'] === 'PaymentProviderUnavailable')).toBe(true);
    for (const value of [...personalData(anOrder()), 'pm_card_visa', stripe.apiKey]) {
      expect(output).not.toContain(value);
    }
  });
});
