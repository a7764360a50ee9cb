import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isSagaError } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, secretsManagerReader } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refundPayment, type RefundPaymentDeps } from './refund-payment.js';

// Unit tests: DynamoDB and Secrets Manager are mocked (aws-sdk-client-mock); Stripe is the real SDK
// against the testkit's Stripe-wire server.

const ddbMock = mockClient(DynamoDBClient);
const secretsMock = mockClient(SecretsManagerClient);
const TABLE = 'saga-orders';
const NOW = new Date('2026-11-22T10:00:00.000Z');

let server: StripeServer;
let logger: ReturnType<typeof memoryLogger>;

function deps(overrides: Partial<RefundPaymentDeps> = {}): RefundPaymentDeps {
  return {
    dynamodb: new DynamoDBClient({ region: 'eu-west-1' }),
    ordersTable: TABLE,
    stripe: createStripeProvider(
      { secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe', api: server.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 },
      secretsManagerReader(new SecretsManagerClient({ region: 'eu-west-1' })),
    ),
    logger,
    now: () => NOW,
    ...overrides,
  };
}

function recordItem(paymentIntentId: string, paymentStatus = 'captured', refundId?: string) {
  return {
    Item: {
      pk: { S: 'ORDER#ord-1001' },
      sk: { S: 'ORDER' },
      orderId: { S: 'ord-1001' },
      paymentIntentId: { S: paymentIntentId },
      paymentStatus: { S: paymentStatus },
      ...(refundId ? { refundId: { S: refundId } } : {}),
    },
  };
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
    metadata: { orderId: options.orderId ?? 'ord-1001' },
  });
  return options.capture ? stripe.paymentIntents.capture(pi.id) : pi;
}

const payment = (paymentIntentId: string) => ({ paymentIntentId, amount: 2999, currency: 'eur' as const, status: 'captured' as const });

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
  ddbMock.reset();
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: server.apiKey });
  ddbMock.on(GetItemCommand).resolves({});
  ddbMock.on(UpdateItemCommand).resolves({});
});
afterEach(async () => {
  await server.close();
});

describe('refundPayment: outcomes', () => {
  it('no PaymentIntent recorded or given (never charged) → noop, without calling Stripe', async () => {
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'noop' });
    expect(secretsMock.calls()).toHaveLength(0);
    expect(server.requests()).toHaveLength(0);
    expect(ddbMock.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('an uncaptured authorisation → cancel with the cancel key → canceled', async () => {
    const pi = await authorised();
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id, 'authorised'));
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'canceled', paymentIntentId: pi.id });
    const cancel = server.requests({ path: '/v1/payment_intents/:id/cancel' });
    expect(cancel.map((r) => [r.idempotencyKey, r.params])).toEqual([['ord-1001:cancel:v1', { cancellation_reason: 'abandoned' }]]);
    expect(server.ledger()[0]).toMatchObject({ status: 'canceled', captured: 0, canceled: 2999 });
    expect(ddbMock.commandCalls(UpdateItemCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: { S: 'ORDER#ord-1001' }, sk: { S: 'ORDER' } },
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: expect.objectContaining({ ':status': { S: 'canceled' }, ':pi': { S: pi.id } }),
    });
  });

  it('a declined intent (requires_payment_method) is canceled too', async () => {
    const error = await failure(authorised({ pm: 'pm_card_chargeDeclined' }));
    const piId = (error as unknown as { payment_intent: { id: string } }).payment_intent.id;
    ddbMock.on(GetItemCommand).resolves(recordItem(piId, 'declined'));
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'canceled', paymentIntentId: piId });
  });

  it('a captured payment (from the input, no record) → refund with the refund key → refunded, recorded', async () => {
    const pi = await authorised({ capture: true });
    const out = await refundPayment({ order: anOrder(), payment: payment(pi.id) }, deps());
    expect(out).toEqual({ outcome: 'refunded', refundId: expect.stringMatching(/^re_/) });
    const refunds = server.requests({ method: 'POST', path: '/v1/refunds' });
    expect(refunds.map((r) => [r.idempotencyKey, r.params])).toEqual([['ord-1001:refund:v1', { payment_intent: pi.id }]]);
    expect(server.ledger()[0]).toMatchObject({ captured: 2999, refunded: 2999, net: 0 });
    expect(ddbMock.commandCalls(UpdateItemCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':status': { S: 'refunded' },
      ':refundId': { S: (out as { refundId: string }).refundId },
    });
  });

  it('a charge already refunded counts as done: refundId from the record, else from Stripe', async () => {
    const pi = await authorised({ capture: true });
    const earlier = await sdk().refunds.create({ payment_intent: pi.id });
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id, 'refunded', 're_fromRecord'));
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'refunded', refundId: 're_fromRecord' });
    expect(server.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(0);

    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id, 'captured'));
    server.forgetIdempotencyKeys();
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'refunded', refundId: earlier.id });
    expect(server.ledger()[0]).toMatchObject({ refunded: 2999, refunds: 1 });
  });

  it('a canceled intent → noop, unless this step canceled it (a retry then reports canceled again)', async () => {
    const expired = await authorised();
    server.expireAuthorisation(expired.id);
    ddbMock.on(GetItemCommand).resolves(recordItem(expired.id, 'authorised'));
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'noop' });

    ddbMock.on(GetItemCommand).resolves(recordItem(expired.id, 'canceled'));
    expect(await refundPayment({ order: anOrder() }, deps())).toEqual({ outcome: 'canceled', paymentIntentId: expired.id });
    expect(server.requests({ path: '/v1/payment_intents/:id/cancel' })).toHaveLength(0);
  });

  it('an authorisation captured while we cancel → refunded', async () => {
    const pi = await authorised();
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id, 'authorised'));
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { path: '/v1/payment_intents/*/cancel' } });
    const pending = refundPayment({ order: anOrder() }, deps());
    await new Promise((r) => setTimeout(r, 50));
    await sdk().paymentIntents.capture(pi.id);
    expect(await pending).toEqual({ outcome: 'refunded', refundId: expect.stringMatching(/^re_/) });
    expect(server.ledger()[0]).toMatchObject({ captured: 2999, refunded: 2999 });
  });

  it('the outcome stands when the order record cannot be updated', async () => {
    const pi = await authorised({ capture: true });
    ddbMock.on(UpdateItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    expect(await refundPayment({ order: anOrder(), payment: payment(pi.id) }, deps())).toMatchObject({ outcome: 'refunded' });
    expect(logger.entries.some((e) => e.level === 'warn' && e.message === 'RefundPayment could not update the order record')).toBe(true);
  });
});

describe('refundPayment: errors', () => {
  it('bad input → CompensationFailed before any side effect', async () => {
    const error = await failure(refundPayment({ order: { ...anOrder(), lines: [] } }, deps()));
    expect(isSagaError(error, 'CompensationFailed')).toBe(true);
    expect(error.message).toMatch(/^RefundPayment input: Invalid order: /);
    await expect(refundPayment({ order: anOrder(), payment: { paymentIntentId: 'nope' } }, deps())).rejects.toMatchObject({ name: 'CompensationFailed' });
    expect(ddbMock.calls()).toHaveLength(0);
    expect(server.requests()).toHaveLength(0);
  });

  it.each([
    ['429', 'StripeRateLimitError'],
    ['500', 'StripeAPIError'],
    ['drop', 'StripeConnectionError'],
  ] as const)('Stripe %s → PaymentProviderUnavailable (retriable)', async (kind, type) => {
    const pi = await authorised({ capture: true });
    server.faults.inject({ kind, times: 'always', match: { path: '/v1/refunds' } });
    const error = await failure(refundPayment({ order: anOrder(), payment: payment(pi.id) }, deps()));
    expect(error).toMatchObject({ name: 'PaymentProviderUnavailable', retriable: true });
    expect(error.message).toContain(type);
    expect(server.ledger()[0]).toMatchObject({ refunded: 0 });
  });

  it('an unknown PaymentIntent → CompensationFailed', async () => {
    const error = await failure(refundPayment({ order: anOrder(), payment: payment('pi_unknown') }, deps()));
    expect(error).toMatchObject({ name: 'CompensationFailed', retriable: false, disposition: 'escalate' });
    expect(error.message).toContain('StripeInvalidRequestError 404 resource_missing');
  });

  it('a wrong key → CompensationFailed naming StripeAuthenticationError', async () => {
    const pi = await authorised({ capture: true });
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_wrong' });
    const error = await failure(refundPayment({ order: anOrder(), payment: payment(pi.id) }, deps()));
    expect(error).toMatchObject({ name: 'CompensationFailed', message: expect.stringContaining('StripeAuthenticationError 401') });
  });

  it('the record and the input disagree → CompensationFailed; a PaymentIntent of another order → CompensationFailed', async () => {
    const mine = await authorised({ capture: true });
    const theirs = await authorised({ orderId: 'ord-other', capture: true });
    ddbMock.on(GetItemCommand).resolves(recordItem(mine.id));
    await expect(refundPayment({ order: anOrder(), payment: payment(theirs.id) }, deps())).rejects.toMatchObject({
      name: 'CompensationFailed',
      message: expect.stringContaining('the order record names'),
    });
    ddbMock.on(GetItemCommand).resolves({});
    await expect(refundPayment({ order: anOrder(), payment: payment(theirs.id) }, deps())).rejects.toMatchObject({
      name: 'CompensationFailed',
      message: expect.stringContaining('belongs to another order'),
    });
    expect(server.ledger().every((e) => e.refunded === 0)).toBe(true);
  });

  it('a refund Stripe reports failed → CompensationFailed', async () => {
    const fake = {
      paymentIntents: { retrieve: async () => ({ id: 'pi_x', status: 'succeeded', metadata: { orderId: 'ord-1001' } }) },
      refunds: { create: async () => ({ id: 're_x', status: 'failed' }) },
    } as unknown as Stripe;
    await expect(refundPayment({ order: anOrder(), payment: payment('pi_x') }, deps({ stripe: async () => fake }))).rejects.toMatchObject({
      name: 'CompensationFailed',
      message: 'refund re_x of PaymentIntent pi_x failed',
    });
  });

  it('a status it cannot undo → CompensationFailed', async () => {
    const fake = { paymentIntents: { retrieve: async () => ({ id: 'pi_x', status: 'mystery', metadata: {} }) } } as unknown as Stripe;
    await expect(refundPayment({ order: anOrder(), payment: payment('pi_x') }, deps({ stripe: async () => fake }))).rejects.toMatchObject({
      name: 'CompensationFailed',
    });
  });

  it('DynamoDB and Secrets Manager failures pass through with their AWS names', async () => {
    ddbMock.on(GetItemCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(refundPayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    ddbMock.on(GetItemCommand).resolves(recordItem('pi_any'));
    secretsMock.on(GetSecretValueCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(refundPayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(server.requests()).toHaveLength(0);
  });
});
