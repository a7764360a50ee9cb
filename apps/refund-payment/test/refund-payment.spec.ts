import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Order } from '@saga/contracts';
import {
  anOrder,
  createStripeClient,
  createStripeProvider,
  memoryLogger,
  personalData,
  readPaymentRecord,
  recordPaymentIntent,
  secretsManagerReader,
} from '@saga/lambda-kit/payments';
import {
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  startDynalite,
  startStripeServer,
  type StripeServer,
  uniqueSagaTableNames,
} from '@saga/testkit';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps, SERVICE_NAME } from '../src/lambda.js';
import { refundPayment, type RefundPaymentDeps } from '../src/refund-payment.js';

// Integration: the real Stripe SDK over HTTP against the testkit's Stripe server, and the real
// DynamoDB client against dynalite with the saga's orders table.

let dynamo: DynamoServer;
let dynamodb: DynamoDBClient;
let ordersTable: string;
let stripe: StripeServer;

beforeAll(async () => {
  dynamo = await startDynalite();
  dynamodb = createLocalDynamoClient(dynamo.endpoint);
});
afterAll(async () => {
  dynamodb.destroy();
  await dynamo.close();
});
beforeEach(async () => {
  ordersTable = (await createSagaTables(dynamodb, uniqueSagaTableNames('refund'))).orders;
  stripe = await startStripeServer();
});
afterEach(async () => {
  await stripe.close();
});

function deps(overrides: Partial<RefundPaymentDeps> = {}): RefundPaymentDeps {
  return {
    dynamodb,
    ordersTable,
    stripe: createStripeProvider(
      { secretKey: stripe.apiKey, api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 2 },
      secretsManagerReader(new SecretsManagerClient({ region: 'eu-west-1' })),
    ),
    logger: memoryLogger(),
    ...overrides,
  };
}

/**
 * Does what ChargePayment does (same idempotency keys, and its order record writer; the two apps may
 * not import each other): authorise with manual capture, record the PaymentIntent, optionally capture.
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
  if (options.capture) pi = await sdk.paymentIntents.capture(pi.id, {}, { idempotencyKey: `${order.orderId}:capture:v1` });
  await recordPaymentIntent(dynamodb, ordersTable, {
    orderId: order.orderId,
    paymentIntentId: pi.id,
    amount: 2999,
    currency: order.currency,
    status: options.capture ? 'captured' : 'authorised',
    now: new Date(),
  });
  return pi;
}

const captured = (pi: Stripe.PaymentIntent) => ({ paymentIntentId: pi.id, amount: 2999, currency: 'eur' as const, status: 'captured' as const });

describe('RefundPayment against Stripe-wire and dynalite', () => {
  it('authorise, capture, refund: the money comes back and the order record says so', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: true });
    expect(stripe.ledger({ orderId: order.orderId })[0]).toMatchObject({ captured: 2999, net: 2999 });

    const out = await refundPayment({ order, payment: captured(pi) }, deps());
    expect(out).toEqual({ outcome: 'refunded', refundId: expect.stringMatching(/^re_/) });
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([
      expect.objectContaining({ paymentIntentId: pi.id, captured: 2999, refunded: 2999, refunds: 1, net: 0 }),
    ]);
    expect(await readPaymentRecord(dynamodb, ordersTable, order.orderId)).toMatchObject({
      paymentIntentId: pi.id,
      paymentStatus: 'refunded',
      refundId: (out as { refundId: string }).refundId,
      amount: 2999,
    });
  });

  it('refunding twice does not refund twice; the second (and a third after Stripe forgot the key) is refunded/done', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: true });
    const first = await refundPayment({ order, payment: captured(pi) }, deps());
    const second = await refundPayment({ order, payment: captured(pi) }, deps());
    expect(second).toEqual(first);
    stripe.forgetIdempotencyKeys();
    const third = await refundPayment({ order, payment: captured(pi) }, deps());
    expect(third).toEqual(first);
    expect(stripe.requests({ method: 'POST', path: '/v1/refunds' }).map((r) => r.error?.code ?? r.status)).toEqual([
      200,
      200, // replayed
      'charge_already_refunded',
    ]);
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([expect.objectContaining({ refunded: 2999, refunds: 1 })]);
  });

  it('cancels an uncaptured intent: the hold is released, nothing is captured; a retry reports the same', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: false });
    const out = await refundPayment({ order }, deps());
    expect(out).toEqual({ outcome: 'canceled', paymentIntentId: pi.id });
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([
      expect.objectContaining({ status: 'canceled', authorised: 2999, captured: 0, canceled: 2999, refunded: 0 }),
    ]);
    expect(await refundPayment({ order }, deps())).toEqual(out);
    expect(stripe.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(1);
    expect((await readPaymentRecord(dynamodb, ordersTable, order.orderId))?.paymentStatus).toBe('canceled');
  });

  it('never charged → noop', async () => {
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'noop' });
    expect(stripe.requests()).toHaveLength(0);
  });

  it('an expired authorisation → noop (the hold already lapsed)', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: false });
    stripe.expireAuthorisation(pi.id);
    expect(await refundPayment({ order }, deps())).toEqual({ outcome: 'noop' });
  });

  it('recovers through Stripe outages: the SDK retries a 500 with the same key; a 429 surfaces as PaymentProviderUnavailable', async () => {
    const order = anOrder();
    const pi = await charge(order, { capture: true });
    stripe.faults.inject({ kind: '500', match: { path: '/v1/refunds' } });
    await expect(refundPayment({ order }, deps())).resolves.toMatchObject({ outcome: 'refunded' });

    const other = anOrder({ orderId: 'ord-1002' });
    await charge(other, { capture: true });
    stripe.faults.inject({ kind: '429', match: { path: '/v1/refunds' } });
    await expect(refundPayment({ order: other }, deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await expect(refundPayment({ order: other }, deps())).resolves.toMatchObject({ outcome: 'refunded' });
    expect(stripe.ledger().map((e) => [e.paymentIntentId === pi.id, e.refunds])).toEqual([
      [true, 1],
      [false, 1],
    ]);
  });

  it('the Lambda handler works from environment configuration', async () => {
    const order = anOrder({ orderId: 'ord-handler' });
    await charge(order, { capture: true });
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const handler = createHandler(defaultDeps({ ORDERS_TABLE: ordersTable, STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url }));
      await expect(handler({ order })).resolves.toMatchObject({ outcome: 'refunded' });
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
      const order = anOrder();
      await charge(order, { capture: true });
      await refundPayment({ order }, d);
      await refundPayment({ order }, d);
      const uncaptured = anOrder({ orderId: 'ord-1002' });
      await charge(uncaptured, { capture: false });
      await refundPayment({ order: uncaptured }, d);
      await refundPayment({ order: anOrder({ orderId: 'ord-1003' }) }, d);
      stripe.faults.inject({ kind: '500', times: 'always' });
      await expect(refundPayment({ order: uncaptured, payment: { paymentIntentId: 'pi_gone', amount: 1, currency: 'eur', status: 'captured' } }, d)).rejects.toMatchObject({
        name: 'CompensationFailed',
      });
      await expect(refundPayment({ order: { ...order, lines: [] } }, d)).rejects.toMatchObject({ name: 'CompensationFailed' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const output = lines.join('');
    const records = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThanOrEqual(8);
    expect(records.every((r) => r['service'] === SERVICE_NAME)).toBe(true);
    expect(records.filter((r) => r['message'] === 'RefundPayment done').map((r) => r['outcome'])).toEqual(['refunded', 'refunded', 'canceled', 'noop']);
    for (const value of [...personalData(anOrder()), 'pm_card_visa', stripe.apiKey]) {
      expect(output).not.toContain(value);
    }
  });
});
