import type { JsonValue } from '@saga/asl';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  chainResolvers,
  createDynamoDbResolver,
  createLambdaResolver,
  createOutboxes,
  createSnsResolver,
  createSqsResolver,
  LambdaRegistry,
  localStateMachine,
  type LambdaHandler,
} from '@saga/sfn-local';
import { orderRecordKey } from '@saga/contracts';
import { createLocalDynamoClient, startDynalite, type DynamoServer } from '@saga/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, type FunctionName } from '../src/config.js';
import { createStackTables } from '../src/local/tables.js';
import { configWithBundles, makeFixtureBundles, synthStack } from './support/fixtures.js';

/**
 * The synthesized definition, run on @saga/sfn-local the way the local run does it: the Terraform
 * references become ARNs/URLs, each function is a stub, the payment subflows' DynamoDB Tasks run
 * against dynalite with the stack's tables. This checks what the static tests cannot:
 * that every JSONPath the definition evaluates exists on each path (a missing one is States.Runtime,
 * which no Catch sees), and what the notifications and the review message carry.
 */

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/saga-dev-review';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:saga-dev-notifications';
let definition: string;

const { dirs, cleanup } = makeFixtureBundles();
afterAll(cleanup);

let dynamo: DynamoServer;
let dynamodb: DynamoDBClient;
let dynamoDbTasks: ReturnType<typeof createDynamoDbResolver>;
let ordersTable: string;

beforeAll(async () => {
  const { json } = synthStack(configWithBundles(dirs));
  dynamo = await startDynalite();
  dynamodb = createLocalDynamoClient(dynamo.endpoint);
  ordersTable = (await createStackTables(dynamodb, json as never))['orders']!;
  dynamoDbTasks = createDynamoDbResolver({ endpoint: dynamo.endpoint });
  definition = (json.resource['aws_sfn_state_machine']!['order-fulfilment'].definition as string)
    .replace(/\$\{aws_lambda_function\.([a-z-]+)\.arn\}/g, 'arn:aws:lambda:eu-west-1:123456789012:function:$1')
    .replace('${aws_sqs_queue.review.url}', QUEUE)
    .replaceAll('${aws_sns_topic.notifications.arn}', TOPIC)
    .replaceAll('${aws_dynamodb_table.orders.name}', ordersTable);
  expect(definition).not.toMatch(/\$\{/);
});
afterAll(async () => {
  dynamoDbTasks?.destroy();
  dynamodb?.destroy();
  await dynamo?.close();
});

const RECORD_KEY = orderRecordKey('ord-1');
// Each test starts without a payment record for the order.
beforeEach(async () => {
  await dynamodb.send(new DeleteItemCommand({ TableName: ordersTable, Key: RECORD_KEY }));
});
/** The order's payment record as the subflows left it. */
async function paymentRecord(): Promise<Record<string, string> | undefined> {
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: ordersTable, Key: RECORD_KEY, ConsistentRead: true }));
  return Item && Object.fromEntries(Object.entries(Item).map(([k, v]) => [k, v.S ?? v.N ?? '?']));
}

const order = {
  orderId: 'ord-1',
  customer: { id: 'cus_1', name: 'Ada', email: 'ada@example.com', shippingAddress: { line1: '1 Row', city: 'London', postalCode: 'N1', country: 'GB' } },
  lines: [{ sku: 'BOOK-1', quantity: 1, unitPrice: 1250 }],
  currency: 'gbp',
  payment: { paymentMethodId: 'pm_card_visa' },
};

const named = (name: string, message = name) => Object.assign(new Error(message), { name });

function harness(overrides: Partial<Record<FunctionName, LambdaHandler>> = {}) {
  const calls: { fn: FunctionName; event: JsonValue }[] = [];
  const payment = { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp' };
  const outputs: Record<FunctionName, JsonValue | ((event: JsonValue) => JsonValue)> = {
    // As the function: authorise creates (unconfirmed), authorise again confirms, capture captures.
    'charge-payment': (event) => {
      const e = event as { action: string; previous: { status: string } | null };
      return { ...payment, status: e.action === 'capture' ? 'captured' : e.previous === null ? 'created' : 'authorised' };
    },
    'reserve-stock': { reservationId: 'res-1', lines: [{ sku: 'BOOK-1', quantity: 1 }] },
    'book-shipment': { shipmentId: 'shp-1', carrier: 'Acme', trackingNumber: 'TRK1' },
    'emit-receipt': { receiptId: 'rcp-1', eventId: 'evt-1' },
    'refund-payment': { outcome: 'refunded', paymentIntentId: 'pi_1', refundId: 're_1' },
    'release-stock': { outcome: 'released', reservationId: 'res-1' },
    'analyze-error': { source: 'rules', category: 'unknown', summary: 'no rule matched' },
  };
  const lambdas = new LambdaRegistry();
  for (const fn of FUNCTION_NAMES) {
    lambdas.register(fn, async (event, context) => {
      calls.push({ fn, event });
      const override = overrides[fn];
      const output = outputs[fn];
      return override ? override(event, context) : typeof output === 'function' ? output(event) : output;
    });
  }
  const outboxes = createOutboxes();
  const machine = localStateMachine(definition, {
    resolve: chainResolvers(createLambdaResolver(lambdas), dynamoDbTasks, createSqsResolver(outboxes), createSnsResolver(outboxes)),
    region: 'eu-west-1',
  });
  const notifications = () => outboxes.topic(TOPIC).published().map((m) => ({ ...m, body: JSON.parse(m.Message) as Record<string, any> }));
  const reviews = () => outboxes.queue(QUEUE).messages().map((m) => JSON.parse(m.Body) as Record<string, any>);
  const called = (fn: FunctionName) => calls.filter((c) => c.fn === fn).map((c) => c.event);
  return { machine, calls, called, notifications, reviews };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the synthesized definition on the local engine', () => {
  it('happy path: the steps get their contract inputs, the success notification goes out', async () => {
    const h = harness();
    const r = await h.machine.run({ order });
    expect(r.status).toBe('SUCCEEDED');
    expect(h.calls.map((c) => c.fn)).toEqual(['charge-payment', 'charge-payment', 'charge-payment', 'reserve-stock', 'book-shipment', 'emit-receipt']);
    // ChargePayment: authorise (creates) with the empty record; recorded; authorise again (confirms); recorded; capture.
    const [create, confirm, capture] = h.called('charge-payment');
    expect(create).toEqual({ action: 'authorise', order, record: {}, previous: null });
    expect(confirm).toEqual({ action: 'authorise', order, record: {}, previous: { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'created' } });
    expect(capture).toEqual({ action: 'capture', order, authorisation: { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'authorised' } });
    expect(await paymentRecord()).toMatchObject({ orderId: 'ord-1', paymentIntentId: 'pi_1', paymentStatus: 'captured', amount: '1250', currency: 'gbp' });
    expect(h.called('book-shipment')).toEqual([{ order, reservation: { reservationId: 'res-1', lines: [{ sku: 'BOOK-1', quantity: 1 }] } }]);
    expect(h.called('emit-receipt')[0]).toMatchObject({
      order,
      payment: { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'captured' },
      reservation: { reservationId: 'res-1' },
      shipment: { shipmentId: 'shp-1' },
    });
    const [note] = h.notifications();
    expect(note).toMatchObject({ Subject: 'Order ord-1 fulfilled', body: { outcome: 'OrderFulfilled', orderId: 'ord-1', receiptId: 'rcp-1' } });
  });

  it('a known failure compensates in parallel and fails with OrderFulfillmentFailed; the notification has no analysis', async () => {
    const h = harness({ 'book-shipment': () => Promise.reject(named('CarrierRejected', 'address undeliverable')) });
    const r = await h.machine.run({ order });
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed' });
    expect(JSON.parse((r as { cause: string }).cause)).toMatchObject({ Error: 'CarrierRejected' });
    // RefundPayment reads the record its step wrote, and records the refund.
    expect(h.called('refund-payment')).toEqual([{ order, record: { Item: expect.objectContaining({ paymentIntentId: { S: 'pi_1' }, paymentStatus: { S: 'captured' } }) } }]);
    expect(await paymentRecord()).toMatchObject({ paymentIntentId: 'pi_1', paymentStatus: 'refunded', refundId: 're_1' });
    expect(h.called('release-stock')).toEqual([{ order }]);
    expect(h.called('analyze-error')).toEqual([]);
    const [note] = h.notifications();
    expect(note).toMatchObject({
      Subject: 'Order ord-1 failed',
      body: { outcome: 'OrderFulfillmentFailed', orderId: 'ord-1', failedStep: 'BookShipment', errorInfo: { Error: 'CarrierRejected' }, analysis: [] },
    });
  });

  it('an unknown error is analysed and reviewed; "compensate" undoes the committed steps and the failed one', async () => {
    const h = harness({ 'reserve-stock': () => Promise.reject(named('TypeError', 'x is undefined')) });
    const execution = h.machine.start({ order });
    await until(() => h.reviews().length === 1, 'the review request');
    expect(h.called('analyze-error')[0]).toEqual({
      errorInfo: { Error: 'TypeError', Cause: expect.any(String) },
      context: { orderId: 'ord-1', failedStep: 'ReserveStock', executionArn: execution.executionArn },
    });
    const [request] = h.reviews();
    expect(request).toMatchObject({
      orderId: 'ord-1',
      executionArn: execution.executionArn,
      failedStep: 'ReserveStock',
      errorInfo: { Error: 'TypeError' },
      analysis: { Payload: { category: 'unknown' } },
    });
    expect(typeof request!['taskToken']).toBe('string');
    h.machine.callbacks.succeed(request!['taskToken'], JSON.stringify({ outcome: 'compensate', reviewer: 'ops', decidedAt: '2026-11-22T10:00:00Z' }));
    const r = await execution.done;
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed' });
    expect(h.called('refund-payment')).toHaveLength(1);
    expect(h.called('release-stock')).toHaveLength(1);
    const failure = h.notifications().at(-1)!;
    expect(failure.body).toMatchObject({ failedStep: 'ReserveStock', analysis: [{ Payload: { category: 'unknown' } }] });
  });

  it('"retry" after review runs the failed step again and the order completes', async () => {
    let attempts = 0;
    const h = harness({
      'book-shipment': () => (++attempts === 1 ? Promise.reject(named('CarrierResponseInvalid')) : { shipmentId: 'shp-2', carrier: 'Acme', trackingNumber: 'T2' }),
    });
    const execution = h.machine.start({ order });
    await until(() => h.reviews().length === 1, 'the review request');
    h.machine.callbacks.succeed(h.reviews()[0]!['taskToken'], JSON.stringify({ outcome: 'retry', reviewer: 'ops', decidedAt: '2026-11-22T10:00:00Z' }));
    expect((await execution.done).status).toBe('SUCCEEDED');
    expect(h.calls.map((c) => c.fn)).toEqual([
      ...['charge-payment', 'charge-payment', 'charge-payment', 'reserve-stock'],
      ...['book-shipment', 'analyze-error', 'book-shipment', 'emit-receipt'],
    ]);
  });

  it('a declined card is recorded, then fails ChargePayment with PaymentDeclined: nothing captured, nothing to compensate', async () => {
    const h = harness({
      // Created, recorded, then declined at confirmation.
      'charge-payment': async (event) =>
        (event as { previous: unknown }).previous === null
          ? { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'created' }
          : { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'declined', declineReason: 'insufficient_funds' },
    });
    const r = await h.machine.run({ order });
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed' });
    expect(JSON.parse((r as { cause: string }).cause)).toEqual({ Error: 'PaymentDeclined', Cause: 'insufficient_funds' });
    expect(h.calls.map((c) => c.fn)).toEqual(['charge-payment', 'charge-payment']); // no capture
    expect(await paymentRecord()).toMatchObject({ paymentIntentId: 'pi_1', paymentStatus: 'declined' });
    expect(h.notifications()[0]).toMatchObject({ body: { failedStep: 'ChargePayment', errorInfo: { Error: 'PaymentDeclined' } } });
  });

  it('an authorisation that loses the race to be recorded goes back to the record, and the function yields to the recorded one', async () => {
    // Another attempt recorded pi_0 first (say, days ago, after Stripe forgot the authorise key).
    await dynamodb.send(
      new PutItemCommand({ TableName: ordersTable, Item: { ...RECORD_KEY, orderId: { S: 'ord-1' }, paymentIntentId: { S: 'pi_0' }, paymentStatus: { S: 'authorised' } } }),
    );
    let authorisations = 0;
    const h = harness({
      'charge-payment': async (event) => {
        const e = event as { action: string; record: { Item?: { paymentIntentId?: { S: string } } } };
        if (e.action === 'capture') return { paymentIntentId: 'pi_0', amount: 1250, currency: 'gbp', status: 'captured' };
        // The first answer ignores the record (as an attempt that started before it was written would).
        const id = ++authorisations === 1 ? 'pi_1' : e.record.Item!.paymentIntentId!.S;
        return { paymentIntentId: id, amount: 1250, currency: 'gbp', status: 'authorised' };
      },
    });
    const r = await h.machine.run({ order });
    expect(r.status).toBe('SUCCEEDED');
    const [first, second, capture] = h.called('charge-payment') as Record<string, any>[];
    expect(first).toMatchObject({ action: 'authorise', previous: null });
    expect(second).toMatchObject({ action: 'authorise', previous: { paymentIntentId: 'pi_1' }, record: { Item: { paymentIntentId: { S: 'pi_0' } } } });
    expect(capture).toMatchObject({ action: 'capture', authorisation: { paymentIntentId: 'pi_0' } });
    expect(await paymentRecord()).toMatchObject({ paymentIntentId: 'pi_0', paymentStatus: 'captured' });
  });

  it('carrier rate limits are retried with backoff before anything escalates', async () => {
    let attempts = 0;
    const h = harness({ 'book-shipment': () => (++attempts <= 4 ? Promise.reject(named('CarrierRateLimited')) : { shipmentId: 's', carrier: 'c', trackingNumber: 't' }) });
    const r = await h.machine.run({ order });
    expect(r.status).toBe('SUCCEEDED');
    expect(attempts).toBe(5);
    expect(h.called('analyze-error')).toEqual([]);
  });
});
