import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { OrderFulfilledDetailSchema } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import {
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  PII,
  readReceipt,
  type SagaTableNames,
  sagaTableEnv,
  startDynalite,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emitReceipt, type EmitReceiptDeps } from '../src/emit-receipt.js';
import { createHandler, defaultDeps } from '../src/lambda.js';
import { anEmitReceiptInput } from './fixtures.js';

// The receipt row against dynalite (no transactions needed); EventBridge through aws-sdk-client-mock.
let server: DynamoServer;
let client: DynamoDBClient;
let names: SagaTableNames;
let deps: EmitReceiptDeps;
const eventbridge = new EventBridgeClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const events = mockClient(eventbridge);
let published = 0;
const publishOk = () => ({ FailedEntryCount: 0, Entries: [{ EventId: `evt-${++published}` }] });

beforeAll(async () => {
  server = await startDynalite();
  client = createLocalDynamoClient(server.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await server?.close();
});
beforeEach(async () => {
  names = await createSagaTables(client, uniqueSagaTableNames('receipt'));
  deps = { dynamodb: client, eventbridge, tables: { receipts: names.receipts }, eventBusName: 'saga-bus', now: () => new Date('2026-11-22T10:00:00.000Z') };
  events.reset();
  published = 0;
  events.on(PutEventsCommand).callsFake(publishOk);
  server.clearRequests();
});
afterEach(() => server.clearFaults());

describe('EmitReceipt against dynalite', () => {
  it('writes one PII-free receipt row with the event id', async () => {
    await expect(emitReceipt(anEmitReceiptInput(), deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-1' });
    const row = await readReceipt(client, names.receipts, 'ord-1');
    expect(row).toEqual({
      orderId: 'ord-1',
      receiptId: 'rcpt_ord-1',
      customerId: 'cus_42',
      paymentIntentId: 'pi_123',
      amount: 2500,
      currency: 'gbp',
      reservationId: 'rsv_ord-1',
      shipmentId: 'shp_9',
      carrier: 'Parcel Co',
      trackingNumber: 'TRK-0001',
      lines: [{ sku: 'SKU-A', quantity: 2, unitPrice: 1250 }],
      fulfilledAt: '2026-11-22T10:00:00.000Z',
      eventId: 'evt-1',
      publishedAt: '2026-11-22T10:00:00.000Z',
    });
    for (const value of PII) expect(JSON.stringify(row)).not.toContain(value);
    const detail = JSON.parse(events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!) as unknown;
    expect(OrderFulfilledDetailSchema.safeParse(detail).success).toBe(true);
  });

  it('a replay writes once and publishes once', async () => {
    const first = await emitReceipt(anEmitReceiptInput(), deps);
    const row = await readReceipt(client, names.receipts, 'ord-1');
    const second = await emitReceipt(anEmitReceiptInput(), { ...deps, now: () => new Date('2030-01-01T00:00:00.000Z') });
    expect(second).toEqual(first);
    expect(published).toBe(1);
    expect(await readReceipt(client, names.receipts, 'ord-1')).toEqual(row);
    expect(server.requests('PutItem')).toHaveLength(2);
    expect(server.requests('UpdateItem')).toHaveLength(1);
  });

  it('after a failed publish, the retry keeps the row and publishes the stored receipt', async () => {
    events.reset();
    events.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }).callsFake(publishOk);
    await expect(emitReceipt(anEmitReceiptInput(), deps)).rejects.toMatchObject({ name: 'EventPublishFailed', message: expect.stringContaining('InternalFailure') });
    expect(await readReceipt(client, names.receipts, 'ord-1')).not.toHaveProperty('eventId');

    await expect(emitReceipt(anEmitReceiptInput(), { ...deps, now: () => new Date('2026-11-22T11:00:00.000Z') })).resolves.toEqual({
      receiptId: 'rcpt_ord-1',
      eventId: 'evt-1',
    });
    const row = await readReceipt(client, names.receipts, 'ord-1');
    expect(row).toMatchObject({ fulfilledAt: '2026-11-22T10:00:00.000Z', eventId: 'evt-1', publishedAt: '2026-11-22T11:00:00.000Z' });
  });

  it('concurrent duplicates write one row and agree on one event id', async () => {
    const outputs = await Promise.all(Array.from({ length: 5 }, () => emitReceipt(anEmitReceiptInput(), deps)));
    const row = await readReceipt(client, names.receipts, 'ord-1');
    for (const output of outputs) expect(output).toEqual({ receiptId: 'rcpt_ord-1', eventId: row?.['eventId'] });
    // At-least-once: racing invocations may each publish before one records; never more than the racers.
    expect(published).toBeGreaterThanOrEqual(1);
    expect(published).toBeLessThanOrEqual(5);
  });

  it('maps DynamoDB throttling that outlasts the SDK retries to DatabaseUnavailable, publishing nothing', async () => {
    server.addFault({ operation: 'PutItem', error: 'ProvisionedThroughputExceededException', times: 3 });
    await expect(emitReceipt(anEmitReceiptInput(), deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
    expect(published).toBe(0);
    expect(await readReceipt(client, names.receipts, 'ord-1')).toBeUndefined();
  });

  it('bad input writes nothing', async () => {
    const bad = { ...anEmitReceiptInput(), payment: { paymentIntentId: 'pi_123' } };
    await expect(emitReceipt(bad, deps)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(server.requests()).toEqual([]);
    expect(published).toBe(0);
  });

  it('runs through the Lambda handler configured from the environment', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    try {
      const lambdaDeps = defaultDeps({ ...sagaTableEnv(names), EVENT_BUS_NAME: 'saga-bus', AWS_ENDPOINT_URL_DYNAMODB: server.endpoint });
      const handler = createHandler({ ...lambdaDeps, eventbridge, logger: recordingLogger() });
      await expect(handler(anEmitReceiptInput({ orderId: 'ord-h' }))).resolves.toEqual({ receiptId: 'rcpt_ord-h', eventId: 'evt-1' });
      expect(await readReceipt(client, names.receipts, 'ord-h')).toMatchObject({ eventId: 'evt-1' });
      lambdaDeps.dynamodb.destroy();
      lambdaDeps.eventbridge.destroy();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
