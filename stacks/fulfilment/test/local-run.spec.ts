import type { JsonValue } from '@saga/asl';
import {
  chainResolvers,
  createLambdaResolver,
  createOutboxes,
  createSnsResolver,
  createSqsResolver,
  LambdaRegistry,
  localStateMachine,
  type LambdaHandler,
} from '@saga/sfn-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, type FunctionName } from '../src/config.js';
import { configWithBundles, makeFixtureBundles, synthStack } from './support/fixtures.js';

/**
 * The synthesized definition, run on @saga/sfn-local the way the local run does it: the Terraform
 * references become ARNs/URLs, each function is a stub. This checks what the static tests cannot:
 * that every JSONPath the definition evaluates exists on each path (a missing one is States.Runtime,
 * which no Catch sees), and what the notifications and the review message carry.
 */

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/saga-dev-review';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:saga-dev-notifications';
let definition: string;

const { dirs, cleanup } = makeFixtureBundles();
afterAll(cleanup);

beforeAll(() => {
  const { json } = synthStack(configWithBundles(dirs));
  definition = (json.resource['aws_sfn_state_machine']!['order-fulfilment'].definition as string)
    .replace(/\$\{aws_lambda_function\.([a-z-]+)\.arn\}/g, 'arn:aws:lambda:eu-west-1:123456789012:function:$1')
    .replace('${aws_sqs_queue.review.url}', QUEUE)
    .replaceAll('${aws_sns_topic.notifications.arn}', TOPIC);
  expect(definition).not.toMatch(/\$\{/);
});

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
  const outputs: Record<FunctionName, JsonValue> = {
    'charge-payment': { paymentIntentId: 'pi_1', amount: 1250, currency: 'gbp', status: 'captured' },
    'reserve-stock': { reservationId: 'res-1', lines: [{ sku: 'BOOK-1', quantity: 1 }] },
    'book-shipment': { shipmentId: 'shp-1', carrier: 'Acme', trackingNumber: 'TRK1' },
    'emit-receipt': { receiptId: 'rcp-1', eventId: 'evt-1' },
    'refund-payment': { outcome: 'refunded', refundId: 're_1' },
    'release-stock': { outcome: 'released', reservationId: 'res-1' },
    'analyze-error': { source: 'rules', category: 'unknown', summary: 'no rule matched' },
  };
  const lambdas = new LambdaRegistry();
  for (const fn of FUNCTION_NAMES) {
    lambdas.register(fn, async (event, context) => {
      calls.push({ fn, event });
      const override = overrides[fn];
      return override ? override(event, context) : outputs[fn];
    });
  }
  const outboxes = createOutboxes();
  const machine = localStateMachine(definition, {
    resolve: chainResolvers(createLambdaResolver(lambdas), createSqsResolver(outboxes), createSnsResolver(outboxes)),
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
    expect(h.calls.map((c) => c.fn)).toEqual(['charge-payment', 'reserve-stock', 'book-shipment', 'emit-receipt']);
    expect(h.called('book-shipment')).toEqual([{ order, reservation: { reservationId: 'res-1', lines: [{ sku: 'BOOK-1', quantity: 1 }] } }]);
    expect(h.called('emit-receipt')[0]).toMatchObject({
      order,
      payment: { paymentIntentId: 'pi_1' },
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
    expect(h.called('refund-payment')).toEqual([{ order }]);
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
    expect(h.calls.map((c) => c.fn)).toEqual(['charge-payment', 'reserve-stock', 'book-shipment', 'analyze-error', 'book-shipment', 'emit-receipt']);
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
