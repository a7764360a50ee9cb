import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, personalData, readPaymentRecord, secretsManagerReader } from '@saga/lambda-kit/payments';
import {
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  startDynalite,
  startStripeServer,
  type StripeServer,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chargePayment, type ChargePaymentDeps } from '../src/charge-payment.js';
import { createHandler, defaultDeps, SERVICE_NAME } from '../src/lambda.js';

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
  ordersTable = (await createSagaTables(dynamodb, uniqueSagaTableNames('charge'))).orders;
  stripe = await startStripeServer();
});
afterEach(async () => {
  await stripe.close();
});

function deps(overrides: Partial<ChargePaymentDeps> = {}): ChargePaymentDeps {
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

describe('ChargePayment against Stripe-wire and dynalite', () => {
  it('authorises, records and captures; the order record holds the PaymentIntent', async () => {
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out).toMatchObject({ amount: 2999, currency: 'eur', status: 'captured' });
    expect(await readPaymentRecord(dynamodb, ordersTable, 'ord-1001')).toEqual({
      orderId: 'ord-1001',
      paymentIntentId: out.paymentIntentId,
      paymentStatus: 'captured',
      amount: 2999,
      currency: 'eur',
      updatedAt: expect.any(String),
    });
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: ordersTable, Key: { pk: { S: 'ORDER#ord-1001' }, sk: { S: 'ORDER' } } }),
    );
    expect(Object.keys(Item!).sort()).toEqual(['amount', 'currency', 'orderId', 'paymentIntentId', 'paymentStatus', 'pk', 'sk', 'updatedAt']);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([
      expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorised: 2999, captured: 2999, captures: 1, refunded: 0 }),
    ]);
  });

  it('a replayed charge does not charge twice: one PaymentIntent, one capture', async () => {
    const d = deps();
    const first = await chargePayment({ order: anOrder() }, d);
    const second = await chargePayment({ order: anOrder() }, d);
    expect(second).toEqual(first);
    const ledger = stripe.ledger({ orderId: 'ord-1001' });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ authorisations: 1, captures: 1, captured: 2999 });
    expect(stripe.requests({ method: 'POST', path: '/v1/payment_intents' })).toHaveLength(1);
  });

  it('a replay after Stripe forgot its idempotency keys still does not charge twice (the order record decides)', async () => {
    const first = await chargePayment({ order: anOrder() }, deps());
    expect(stripe.forgetIdempotencyKeys()).toBeGreaterThan(0);
    const second = await chargePayment({ order: anOrder() }, deps());
    expect(second.paymentIntentId).toBe(first.paymentIntentId);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });

  it('a replay after the authorisation was recorded but before capture (keys forgotten) captures that authorisation', async () => {
    stripe.faults.inject({ kind: '500', times: 3, match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargePayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    stripe.forgetIdempotencyKeys();
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([
      expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorisations: 1, captures: 1 }),
    ]);
  });

  it('two concurrent invocations of the same order charge once', async () => {
    const [a, b] = await Promise.all([chargePayment({ order: anOrder() }, deps()), chargePayment({ order: anOrder() }, deps())]);
    expect(a.paymentIntentId).toBe(b.paymentIntentId);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });

  it('the SDK retries a lost response with the same key: one charge', async () => {
    stripe.faults.inject({ kind: 'drop', afterProcessing: true, match: { path: '/v1/payment_intents/*/capture' } });
    await chargePayment({ order: anOrder() }, deps());
    expect(stripe.requests({ path: '/v1/payment_intents/*/capture' }).map((r) => r.replayed)).toEqual([false, true]);
    expect(stripe.ledger()).toEqual([expect.objectContaining({ captures: 1 })]);
  });

  it('a decline records the declined intent and raises PaymentDeclined', async () => {
    const order = anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    await expect(chargePayment({ order }, deps())).rejects.toMatchObject({ name: 'PaymentDeclined', message: 'insufficient_funds' });
    const [entry] = stripe.ledger({ orderId: 'ord-1001' });
    expect(await readPaymentRecord(dynamodb, ordersTable, 'ord-1001')).toMatchObject({
      paymentIntentId: entry!.paymentIntentId,
      paymentStatus: 'declined',
    });
  });

  it('the Lambda handler works from environment configuration (STRIPE_API_BASE, STRIPE_SECRET_KEY, AWS_ENDPOINT_URL_DYNAMODB)', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const handler = createHandler(
        defaultDeps({ ORDERS_TABLE: ordersTable, STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_MAX_NETWORK_RETRIES: '0' }),
      );
      const out = await handler({ order: anOrder({ orderId: 'ord-handler' }) });
      expect(out.status).toBe('captured');
      expect((await readPaymentRecord(dynamodb, ordersTable, 'ord-handler'))?.paymentIntentId).toBe(out.paymentIntentId);
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
      const logger = new Logger({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' });
      const order = anOrder();
      const d = deps({ logger });
      await chargePayment({ order }, d);
      await chargePayment({ order }, d);
      const declined = anOrder({ orderId: 'ord-1002', payment: { paymentMethodId: 'pm_card_chargeDeclined' } });
      await expect(chargePayment({ order: declined }, d)).rejects.toMatchObject({ name: 'PaymentDeclined' });
      stripe.faults.inject({ kind: '429', times: 'always' });
      await expect(chargePayment({ order: anOrder({ orderId: 'ord-1003' }) }, d)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
      const invalid = { ...anOrder({ orderId: 'ord-1004' }), lines: [] };
      await expect(chargePayment({ order: invalid }, d)).rejects.toMatchObject({ name: 'InvalidOrder' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const output = lines.join('');
    const records = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThanOrEqual(8);
    expect(records.every((r) => r['service'] === SERVICE_NAME)).toBe(true);
    expect(records.map((r) => r['message'])).toContain('ChargePayment captured');
    expect(records.some((r) => r['level'] === 'WARN')).toBe(true);
    expect(records.some((r) => r['orderId'] === 'ord-1002' && r['errorName'] === 'PaymentDeclined')).toBe(true);
    for (const value of [...personalData(anOrder()), 'pm_card_visa', 'pm_card_chargeDeclined', stripe.apiKey]) {
      expect(output).not.toContain(value);
    }
  });

  it('a key that is wrong is not logged either', async () => {
    const logger = memoryLogger();
    const wrongKey = 'sk_test_wrongKeyNotToBeLogged';
    const d = deps({ logger, stripe: async () => createStripeClient(wrongKey, { api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 }) });
    const error = (await chargePayment({ order: anOrder() }, d).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: 'StripeAuthenticationError' });
    expect(JSON.stringify(logger.entries)).not.toContain(wrongKey);
    expect(error.message).not.toContain('wrongKey');
  });
});
