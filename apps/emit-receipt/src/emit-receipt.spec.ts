import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  ResourceNotFoundException as DynamoResourceNotFound,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AccessDeniedException,
  EventBridgeClient,
  InternalException,
  PutEventsCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-eventbridge';
import { EVENT_SOURCE, InvalidOrderError, OrderFulfilledDetailSchema, SagaError } from '@saga/contracts';
import { receiptItem } from '@saga/lambda-kit/dynamo';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { PII } from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anEmitReceiptInput } from '../test/fixtures.js';
import { emitReceipt, type EmitReceiptDeps } from './emit-receipt.js';
import { receiptFor } from './receipt.js';

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials });
const eventbridge = new EventBridgeClient({ region: 'us-east-1', credentials });
const ddb = mockClient(dynamodb);
const events = mockClient(eventbridge);
const NOW = new Date('2026-11-22T10:00:00.000Z');
let logger: RecordingLogger;
let deps: EmitReceiptDeps;

beforeEach(() => {
  ddb.reset();
  events.reset();
  logger = recordingLogger();
  deps = { dynamodb, eventbridge, tables: { receipts: 'receipts' }, eventBusName: 'saga-bus', now: () => NOW, logger };
});
afterEach(() => {
  const logged = JSON.stringify(logger.entries);
  for (const value of PII) expect(logged).not.toContain(value);
});

const input = anEmitReceiptInput();
const stored = (extra: Record<string, { S: string }> = {}) => ({ ...receiptItem(receiptFor(input, new Date('2026-11-22T09:00:00.000Z'))), ...extra });

function ccf(item?: Record<string, unknown>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: { httpStatusCode: 400 }, ...(item ? { Item: item as never } : {}) });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('emitReceipt: validation', () => {
  it.each([
    ['no shipment', { ...input, shipment: undefined }],
    ['a payment that is not captured', { ...input, payment: { ...input.payment, status: 'authorised' } }],
    ['an empty object', {}],
  ])('rejects %s with InvalidOrder before any call', async (_, bad) => {
    const error = await failure(emitReceipt(bad, deps));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(ddb.calls()).toHaveLength(0);
    expect(events.calls()).toHaveLength(0);
  });
});

describe('emitReceipt: first emission', () => {
  beforeEach(() => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
  });

  it('writes the row, publishes OrderFulfilled and records the event id', async () => {
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-1' });

    const put = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(put).toMatchObject({
      TableName: 'receipts',
      ConditionExpression: 'attribute_not_exists(#orderId)',
      ExpressionAttributeNames: { '#orderId': 'orderId' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(put.Item).toEqual({
      orderId: { S: 'ord-1' },
      receiptId: { S: 'rcpt_ord-1' },
      customerId: { S: 'cus_42' },
      paymentIntentId: { S: 'pi_123' },
      amount: { N: '2500' },
      currency: { S: 'gbp' },
      reservationId: { S: 'rsv_ord-1' },
      shipmentId: { S: 'shp_9' },
      carrier: { S: 'Parcel Co' },
      trackingNumber: { S: 'TRK-0001' },
      lines: { L: [{ M: { sku: { S: 'SKU-A' }, quantity: { N: '2' }, unitPrice: { N: '1250' } } }] },
      fulfilledAt: { S: NOW.toISOString() },
    });
    expect(JSON.stringify(put)).not.toMatch(/Ada|example\.com|Analytical|N1 9GU/);

    const entries = events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ Source: EVENT_SOURCE, DetailType: 'OrderFulfilled', EventBusName: 'saga-bus' });
    const detail = JSON.parse(entries[0]!.Detail!) as unknown;
    expect(OrderFulfilledDetailSchema.parse(detail)).toEqual({
      orderId: 'ord-1',
      customerId: 'cus_42',
      receiptId: 'rcpt_ord-1',
      payment: { paymentIntentId: 'pi_123', amount: 2500, currency: 'gbp' },
      shipment: { shipmentId: 'shp_9', carrier: 'Parcel Co', trackingNumber: 'TRK-0001' },
      fulfilledAt: NOW.toISOString(),
    });
    expect(entries[0]!.Detail).not.toMatch(/Ada|example\.com|Analytical/);

    expect(ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'receipts',
      Key: { orderId: { S: 'ord-1' } },
      UpdateExpression: 'SET #eventId = :eventId, #publishedAt = :publishedAt',
      ConditionExpression: 'attribute_exists(#orderId) AND attribute_not_exists(#eventId)',
      ExpressionAttributeNames: { '#orderId': 'orderId', '#eventId': 'eventId', '#publishedAt': 'publishedAt' },
      ExpressionAttributeValues: { ':eventId': { S: 'evt-1' }, ':publishedAt': { S: NOW.toISOString() } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(logger.entries.at(-1)).toMatchObject({ message: 'receipt emitted', attributes: { orderId: 'ord-1', outcome: 'emitted', eventId: 'evt-1' } });
  });
});

describe('emitReceipt: replays', () => {
  it('publishes nothing when the stored row already has an event id', async () => {
    ddb.on(PutItemCommand).rejects(ccf(stored({ eventId: { S: 'evt-0' } })));
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-0' });
    expect(events.calls()).toHaveLength(0);
    expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('reads the stored row when the condition failure carries none', async () => {
    ddb.on(PutItemCommand).rejects(ccf());
    ddb.on(GetItemCommand).resolves({ Item: stored({ eventId: { S: 'evt-0' } }) });
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-0' });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({ TableName: 'receipts', Key: { orderId: { S: 'ord-1' } }, ConsistentRead: true });
  });

  it('publishes the stored receipt (not a new one) when the previous attempt stopped before publishing', async () => {
    ddb.on(PutItemCommand).rejects(ccf(stored()));
    ddb.on(UpdateItemCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-2' }] });
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-2' });
    const detail = JSON.parse(events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!) as { fulfilledAt: string };
    expect(detail.fulfilledAt).toBe('2026-11-22T09:00:00.000Z');
  });

  it('reports the recorded event id when a concurrent invocation recorded first', async () => {
    ddb.on(PutItemCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-mine' }] });
    ddb.on(UpdateItemCommand).rejects(ccf(stored({ eventId: { S: 'evt-theirs' } })));
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-theirs' });
    expect(logger.entries.map((c) => c.message)).toContain('event published twice');
  });

  it('asks for a retry when the row vanished', async () => {
    ddb.on(PutItemCommand).rejects(ccf());
    ddb.on(GetItemCommand).resolves({});
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
    expect(events.calls()).toHaveLength(0);
  });

  it('keeps the stored receipt when the input differs, and says so', async () => {
    ddb.on(PutItemCommand).rejects(ccf(stored({ eventId: { S: 'evt-0' } })));
    const other = { ...input, shipment: { ...input.shipment, shipmentId: 'shp_other' } };
    await expect(emitReceipt(other, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-0' });
    expect(logger.entries.map((c) => c.message)).toContain('stored receipt differs from the step input');
  });
});

describe('emitReceipt: EventBridge failures', () => {
  beforeEach(() => {
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
  });

  it.each(['InternalFailure', 'ThrottlingException', 'AccessDeniedException'])(
    'raises EventPublishFailed naming the entry ErrorCode (%s) on a partial failure, recording nothing',
    async (code) => {
      events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: code, ErrorMessage: 'nope' }] });
      const error = await failure(emitReceipt(input, deps));
      expect(error).toBeInstanceOf(SagaError);
      expect(error).toMatchObject({ name: 'EventPublishFailed', retriable: true });
      expect(error.message).toBe(`PutEvents rejected the OrderFulfilled event: ${code}`);
      expect(ddb.commandCalls(UpdateItemCommand)).toHaveLength(0);
    },
  );

  it('a retry after a failed publish publishes (the row has no event id yet)', async () => {
    events.on(PutEventsCommand).resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'EventPublishFailed' });

    ddb.on(PutItemCommand).rejects(ccf(stored()));
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-3' }] });
    await expect(emitReceipt(input, deps)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-3' });
  });

  it.each<[string, () => Error]>([
    ['ThrottlingException', () => new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } })],
    ['InternalException', () => new InternalException({ message: 'oops', $metadata: { httpStatusCode: 500 } })],
    ['a connection reset', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('maps a thrown %s to EventPublishFailed', async (_, make) => {
    const cause = make();
    events.on(PutEventsCommand).rejects(cause);
    const error = await failure(emitReceipt(input, deps));
    expect(error).toMatchObject({ name: 'EventPublishFailed', retriable: true, cause });
  });

  it.each<[string, () => Error]>([
    ['AccessDeniedException', () => new AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 400 } })],
    ['ResourceNotFoundException (no such bus)', () => new ResourceNotFoundException({ message: 'Event bus saga-bus does not exist.', $metadata: { httpStatusCode: 400 } })],
  ])('escalates %s unchanged', async (_, make) => {
    const cause = make();
    events.on(PutEventsCommand).rejects(cause);
    await expect(emitReceipt(input, deps)).rejects.toBe(cause);
  });

  it('raises EventPublishFailed when no EventId comes back', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{}] });
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'EventPublishFailed', message: expect.stringContaining('no EventId') });
  });
});

describe('emitReceipt: DynamoDB failures', () => {
  it('maps a throttled PutItem to DatabaseUnavailable before publishing', async () => {
    ddb.on(PutItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} }));
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
    expect(events.calls()).toHaveLength(0);
  });

  it('maps a failed UpdateItem (after publishing) to DatabaseUnavailable', async () => {
    ddb.on(PutItemCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
    ddb.on(UpdateItemCommand).rejects(Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }));
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable', message: 'DynamoDB UpdateItem failed: ServiceUnavailable (HTTP 503)' });
  });

  it('maps a throttled read of the stored row to DatabaseUnavailable', async () => {
    ddb.on(PutItemCommand).rejects(ccf());
    ddb.on(GetItemCommand).rejects(Object.assign(new Error('slow'), { name: 'ThrottlingException', $retryable: { throttling: true } }));
    await expect(emitReceipt(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
  });

  it('escalates a missing table unchanged', async () => {
    const cause = new DynamoResourceNotFound({ message: 'Requested resource not found', $metadata: {} });
    ddb.on(PutItemCommand).rejects(cause);
    await expect(emitReceipt(input, deps)).rejects.toBe(cause);
  });

  it('refuses a malformed stored row', async () => {
    ddb.on(PutItemCommand).rejects(ccf({ orderId: { S: 'ord-1' } }));
    await expect(emitReceipt(input, deps)).rejects.toThrow('malformed receipt row');
    expect(events.calls()).toHaveLength(0);
  });
});
