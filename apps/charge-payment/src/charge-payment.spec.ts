import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isSagaError, SagaError } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, secretsManagerReader } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chargePayment, type ChargePaymentDeps } from './charge-payment.js';

// Unit tests: DynamoDB and Secrets Manager are mocked (aws-sdk-client-mock); Stripe is the real SDK
// against the testkit's Stripe-wire server, whose faults produce each error class.

const ddbMock = mockClient(DynamoDBClient);
const secretsMock = mockClient(SecretsManagerClient);
const TABLE = 'saga-orders';
const NOW = new Date('2026-11-22T10:00:00.000Z');

let server: StripeServer;
let logger: ReturnType<typeof memoryLogger>;

function deps(overrides: Partial<ChargePaymentDeps> = {}): ChargePaymentDeps {
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

/** The order record as GetItem returns it. */
function recordItem(paymentIntentId: string, paymentStatus = 'authorised') {
  return {
    Item: {
      pk: { S: 'ORDER#ord-1001' },
      sk: { S: 'ORDER' },
      orderId: { S: 'ord-1001' },
      paymentIntentId: { S: paymentIntentId },
      paymentStatus: { S: paymentStatus },
      amount: { N: '2999' },
      currency: { S: 'eur' },
    },
  };
}

function stripeSdk(): Stripe {
  return createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
}

async function authorised(orderId = 'ord-1001', amount = 2999): Promise<Stripe.PaymentIntent> {
  return stripeSdk().paymentIntents.create({
    amount,
    currency: 'eur',
    capture_method: 'manual',
    confirm: true,
    payment_method: 'pm_card_visa',
    metadata: { orderId },
  });
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
  ddbMock.reset();
  secretsMock.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: server.apiKey });
  ddbMock.on(GetItemCommand).resolves({});
  ddbMock.on(UpdateItemCommand).resolves({});
});
afterEach(async () => {
  await server.close();
});

describe('chargePayment: success', () => {
  it('authorises with the authorise key, records the PaymentIntent conditionally, captures with the capture key', async () => {
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out).toEqual({ paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'captured' });

    const posts = server.requests({ method: 'POST' });
    expect(posts.map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey])).toEqual([
      ['/v1/payment_intents', 'ord-1001:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
    ]);
    expect(posts[0]!.params).toEqual({
      amount: '2999',
      currency: 'eur',
      capture_method: 'manual',
      confirm: 'true',
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      metadata: { orderId: 'ord-1001' },
    });

    expect(ddbMock.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'ORDER#ord-1001' }, sk: { S: 'ORDER' } },
      ConsistentRead: true,
    });
    const [record, captured] = ddbMock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(record).toMatchObject({
      TableName: TABLE,
      Key: { pk: { S: 'ORDER#ord-1001' }, sk: { S: 'ORDER' } },
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: expect.objectContaining({
        ':pi': { S: out.paymentIntentId },
        ':status': { S: 'authorised' },
        ':amount': { N: '2999' },
        ':currency': { S: 'eur' },
        ':now': { S: NOW.toISOString() },
      }),
    });
    expect(captured).toMatchObject({
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: expect.objectContaining({ ':status': { S: 'captured' }, ':pi': { S: out.paymentIntentId } }),
    });
    expect(server.ledger()).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, captured: 2999, captures: 1 })]);
  });

  it('continues from a recorded authorisation: captures without creating', async () => {
    const pi = await authorised();
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id));
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out.paymentIntentId).toBe(pi.id);
    expect(server.requests({ method: 'POST', path: '/v1/payment_intents' })).toHaveLength(1); // the fixture's own create
    expect(server.ledger()).toEqual([expect.objectContaining({ captured: 2999, captures: 1 })]);
  });

  it('returns a recorded capture without calling capture again', async () => {
    const pi = await authorised();
    await stripeSdk().paymentIntents.capture(pi.id);
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id, 'captured'));
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out).toEqual({ paymentIntentId: pi.id, amount: 2999, currency: 'eur', status: 'captured' });
    expect(server.requests({ path: '/v1/payment_intents/:id/capture' })).toHaveLength(1);
  });

  it('reads the Stripe key once per cold start', async () => {
    const d = deps();
    await chargePayment({ order: anOrder() }, d);
    await chargePayment({ order: anOrder({ orderId: 'ord-1002' }) }, d);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('yields to a PaymentIntent another attempt recorded first, canceling its own', async () => {
    const winner = await authorised();
    ddbMock
      .on(UpdateItemCommand)
      .rejectsOnce(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: { paymentIntentId: { S: winner.id } } }),
      )
      .resolves({});
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out.paymentIntentId).toBe(winner.id);
    const ledger = server.ledger();
    expect(ledger.find((e) => e.paymentIntentId === winner.id)).toMatchObject({ captured: 2999 });
    expect(ledger.find((e) => e.paymentIntentId !== winner.id)).toMatchObject({ status: 'canceled', captured: 0, canceled: 2999 });
    const cancel = server.requests({ path: '/v1/payment_intents/:id/cancel' })[0]!;
    expect(cancel.params).toEqual({ cancellation_reason: 'duplicate' });
    expect(cancel.idempotencyKey).toMatch(/^ord-1001:cancel-duplicate:pi_\w+:v1$/);
  });

  it('retries a declined intent with a new confirmation keyed by the failed charge', async () => {
    server.faults.inject({ kind: 'decline', declineCode: 'try_again_later' });
    const first = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(first).toMatchObject({ name: 'PaymentDeclined', message: 'try_again_later' });
    const declined = server.ledger()[0]!;
    const failedCharge = server.paymentIntent(declined.paymentIntentId)!['latest_charge'] as string;

    ddbMock.on(GetItemCommand).resolves(recordItem(declined.paymentIntentId, 'declined'));
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(out.paymentIntentId).toBe(declined.paymentIntentId);
    expect(server.requests({ path: '/v1/payment_intents/:id/confirm' })[0]!.idempotencyKey).toBe(`ord-1001:confirm:${failedCharge}:v1`);
    expect(server.ledger()).toEqual([expect.objectContaining({ declines: 1, authorisations: 1, captured: 2999 })]);
  });
});

describe('chargePayment: errors', () => {
  it('InvalidOrder before any side effect', async () => {
    const order = { ...anOrder(), currency: 'xyz' };
    const error = await failure(chargePayment({ order }, deps()));
    expect(isSagaError(error, 'InvalidOrder')).toBe(true);
    expect(error.message).toContain('order.currency invalid_value');
    expect(ddbMock.calls()).toHaveLength(0);
    expect(secretsMock.calls()).toHaveLength(0);
    expect(server.requests()).toHaveLength(0);
    await expect(chargePayment(null, deps())).rejects.toMatchObject({ name: 'InvalidOrder' });
    await expect(chargePayment({}, deps())).rejects.toMatchObject({ name: 'InvalidOrder' });
  });

  it.each([
    ['pm_card_chargeDeclined', 'generic_decline'],
    ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card'],
  ])('StripeCardError (%s) → PaymentDeclined with the decline code only; the declined intent is recorded', async (pm, code) => {
    const order = anOrder({ payment: { paymentMethodId: pm } });
    const error = await failure(chargePayment({ order }, deps()));
    expect(error).toBeInstanceOf(SagaError);
    expect(error).toMatchObject({ name: 'PaymentDeclined', message: code, retriable: false, disposition: 'compensate' });
    const recorded = ddbMock.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(recorded.ExpressionAttributeValues).toMatchObject({ ':status': { S: 'declined' }, ':pi': { S: server.ledger()[0]!.paymentIntentId } });
    expect(logger.entries.at(-1)).toMatchObject({ level: 'warn', message: 'ChargePayment failed' });
    expect(logger.entries.at(-1)!.extra[0]).toMatchObject({ errorName: 'PaymentDeclined', stripe: { type: 'StripeCardError', statusCode: 402, declineCode: code } });
  });

  it('a decline is still PaymentDeclined when recording it fails', async () => {
    ddbMock.on(UpdateItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    const order = anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclined' } });
    await expect(chargePayment({ order }, deps())).rejects.toMatchObject({ name: 'PaymentDeclined' });
  });

  it.each([
    ['429', 'StripeRateLimitError'],
    ['500', 'StripeAPIError'],
    ['drop', 'StripeConnectionError'],
  ] as const)('Stripe %s → PaymentProviderUnavailable (retriable); nothing charged', async (kind, type) => {
    server.faults.inject({ kind, times: 'always' });
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error).toMatchObject({ name: 'PaymentProviderUnavailable', retriable: true, disposition: 'escalate' });
    expect(error.message).toContain(type);
    expect((error.cause as { type: string }).type).toBe(type);
    expect(server.ledger()).toEqual([]);
  });

  it('a timeout → PaymentProviderUnavailable; the retry with the same key charges once', async () => {
    server.faults.inject({ kind: 'delay', delayMs: 300, match: { path: '/v1/payment_intents' } });
    const slow = deps({
      stripe: async () => createStripeClient(server.apiKey, { api: server.sdkOptions(), timeoutMs: 100, maxNetworkRetries: 0 }),
    });
    await expect(chargePayment({ order: anOrder() }, slow)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await new Promise((r) => setTimeout(r, 350));
    const out = await chargePayment({ order: anOrder() }, deps());
    expect(server.ledger()).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorisations: 1, captures: 1 })]);
  });

  it('a capture-time outage → PaymentProviderUnavailable after the authorisation is recorded', async () => {
    server.faults.inject({ kind: '500', match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargePayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(ddbMock.commandCalls(UpdateItemCommand)).toHaveLength(1);
    expect(server.ledger()).toEqual([expect.objectContaining({ status: 'requires_capture', captured: 0 })]);
  });

  it('an authorisation canceled or expired before capture → PaymentDeclined with a clear message', async () => {
    const pi = await authorised();
    server.expireAuthorisation(pi.id);
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id));
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error).toMatchObject({ name: 'PaymentDeclined' });
    expect(error.message).toBe(
      'authorisation_canceled: the authorisation was canceled before capture (cancellation_reason: automatic), e.g. it expired',
    );
    expect(server.ledger()[0]).toMatchObject({ captured: 0 });
  });

  it('an authorisation that lapses between retrieve and capture → PaymentDeclined', async () => {
    const pi = await authorised();
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id));
    server.faults.inject({ kind: 'delay', delayMs: 150, match: { path: '/v1/payment_intents/*/capture' } });
    const pending = failure(chargePayment({ order: anOrder() }, deps()));
    await new Promise((r) => setTimeout(r, 50));
    server.expireAuthorisation(pi.id);
    expect(await pending).toMatchObject({ name: 'PaymentDeclined', message: expect.stringContaining('authorisation_canceled') });
  });

  it('a wrong key → StripeAuthenticationError (escalates), the message holds no Stripe text', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_wrongKey' });
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error.name).toBe('StripeAuthenticationError');
    expect(error.message).toMatch(/^ChargePayment: StripeAuthenticationError 401 \(req_\w+\)$/);
  });

  it('an idempotency conflict → StripeIdempotencyError (escalates)', async () => {
    await stripeSdk().paymentIntents.create({ amount: 100, currency: 'eur' }, { idempotencyKey: 'ord-1001:authorise:v1' });
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error.name).toBe('StripeIdempotencyError');
  });

  it('a recorded PaymentIntent for another amount → PaymentMismatch (escalates), nothing captured', async () => {
    const pi = await authorised('ord-1001', 5000);
    ddbMock.on(GetItemCommand).resolves(recordItem(pi.id));
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error.name).toBe('PaymentMismatch');
    expect(server.ledger()[0]).toMatchObject({ captured: 0 });
  });

  it('a capture whose order record names another PaymentIntent → PaymentMismatch (escalates)', async () => {
    ddbMock
      .on(UpdateItemCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {}, Item: { paymentIntentId: { S: 'pi_other' } } }));
    const error = await failure(chargePayment({ order: anOrder() }, deps()));
    expect(error).toMatchObject({ name: 'PaymentMismatch', message: expect.stringContaining('order record names pi_other') });
  });

  it('requires_action → PaymentDeclined; processing → PaymentProviderUnavailable', async () => {
    const fake = (status: string) =>
      ({
        paymentIntents: {
          create: async () => ({ id: 'pi_fake', status, amount: 2999, currency: 'eur', latest_charge: null }),
        },
      }) as unknown as Stripe;
    await expect(chargePayment({ order: anOrder() }, deps({ stripe: async () => fake('requires_action') }))).rejects.toMatchObject({
      name: 'PaymentDeclined',
      message: expect.stringMatching(/^authentication_required/),
    });
    await expect(chargePayment({ order: anOrder() }, deps({ stripe: async () => fake('processing') }))).rejects.toMatchObject({
      name: 'PaymentProviderUnavailable',
    });
  });

  it('DynamoDB and Secrets Manager failures pass through with their AWS names', async () => {
    ddbMock.on(GetItemCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(chargePayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    expect(server.requests()).toHaveLength(0);

    ddbMock.on(GetItemCommand).resolves({});
    secretsMock.on(GetSecretValueCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDeniedException' }));
    await expect(chargePayment({ order: anOrder() }, deps())).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(server.requests()).toHaveLength(0);
  });
});
