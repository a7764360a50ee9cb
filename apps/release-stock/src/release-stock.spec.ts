import {
  type AttributeValue,
  type CancellationReason,
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidOrderError, SagaError } from '@saga/contracts';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { anOrder, PII } from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { releaseStock, type ReleaseStockDeps } from './release-stock.js';

const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const ddb = mockClient(dynamodb);
const NOW = new Date('2026-11-22T10:00:00.000Z');
let logger: RecordingLogger;
let deps: ReleaseStockDeps;

beforeEach(() => {
  ddb.reset();
  logger = recordingLogger();
  deps = { dynamodb, tables: { stock: 'stock', orders: 'orders' }, now: () => NOW, logger };
});
afterEach(() => {
  const logged = JSON.stringify(logger.entries);
  for (const value of PII) expect(logged).not.toContain(value);
});

function reservation(status: 'reserved' | 'released' = 'reserved'): Record<string, AttributeValue> {
  return {
    pk: { S: 'ORDER#ord-1' },
    sk: { S: 'RESERVATION' },
    orderId: { S: 'ord-1' },
    reservationId: { S: 'rsv_ord-1' },
    status: { S: status },
    lines: {
      L: [
        { M: { sku: { S: 'SKU-A' }, quantity: { N: '2' } } },
        { M: { sku: { S: 'SKU-B' }, quantity: { N: '1' } } },
      ],
    },
    reservedAt: { S: '2026-11-22T09:00:00.000Z' },
    ...(status === 'released' ? { releasedAt: { S: '2026-11-22T09:30:00.000Z' } } : {}),
  };
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: { httpStatusCode: 400 }, CancellationReasons: reasons });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('releaseStock: validation', () => {
  it.each([
    ['no order', {}],
    ['a malformed reservation', { order: anOrder(), reservation: { reservationId: 'rsv_ord-1', lines: [] } }],
    ['null', null],
  ])('rejects %s with InvalidOrder before any call', async (_, input) => {
    const error = await failure(releaseStock(input, deps));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('releaseStock: nothing to do', () => {
  it('is a noop when the order was never reserved', async () => {
    ddb.on(GetItemCommand).resolves({});
    await expect(releaseStock({ order: anOrder() }, deps)).resolves.toEqual({ outcome: 'noop' });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'orders',
      Key: { pk: { S: 'ORDER#ord-1' }, sk: { S: 'RESERVATION' } },
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
    expect(logger.entries[0]).toMatchObject({ message: 'nothing to release', attributes: { orderId: 'ord-1', outcome: 'noop', reason: 'not_reserved' } });
  });

  it('is a noop when the reservation was already released', async () => {
    ddb.on(GetItemCommand).resolves({ Item: reservation('released') });
    await expect(releaseStock({ order: anOrder() }, deps)).resolves.toEqual({ outcome: 'noop' });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });
});

describe('releaseStock: the transaction', () => {
  it('adds every reserved line back and flips the record to released, in one transaction', async () => {
    ddb.on(GetItemCommand).resolves({ Item: reservation() });
    ddb.on(TransactWriteItemsCommand).resolves({});
    // The step input may carry the reservation; the stored record is what gets released.
    const input = { order: anOrder(), reservation: { reservationId: 'rsv_ord-1', lines: [{ sku: 'SKU-A', quantity: 2 }] } };
    await expect(releaseStock(input, deps)).resolves.toEqual({ outcome: 'released', reservationId: 'rsv_ord-1' });

    const calls = ddb.commandCalls(TransactWriteItemsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TransactItems).toEqual([
      {
        Update: {
          TableName: 'orders',
          Key: { pk: { S: 'ORDER#ord-1' }, sk: { S: 'RESERVATION' } },
          UpdateExpression: 'SET #status = :released, #releasedAt = :now',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status', '#releasedAt': 'releasedAt' },
          ExpressionAttributeValues: { ':released': { S: 'released' }, ':reserved': { S: 'reserved' }, ':now': { S: NOW.toISOString() } },
        },
      },
      ...[
        ['SKU-A', '2'],
        ['SKU-B', '1'],
      ].map(([sku, quantity]) => ({
        Update: {
          TableName: 'stock',
          Key: { sku: { S: sku } },
          UpdateExpression: 'ADD #available :quantity',
          ConditionExpression: 'attribute_exists(#sku)',
          ExpressionAttributeNames: { '#available': 'available', '#sku': 'sku' },
          ExpressionAttributeValues: { ':quantity': { N: quantity } },
        },
      })),
    ]);
    expect(logger.entries.at(-1)).toMatchObject({ message: 'stock released', attributes: { outcome: 'released', lines: 2 } });
  });

  it('releases the stored reservation even when the input names another one', async () => {
    ddb.on(GetItemCommand).resolves({ Item: reservation() });
    ddb.on(TransactWriteItemsCommand).resolves({});
    const input = { order: anOrder(), reservation: { reservationId: 'rsv_other', lines: [{ sku: 'SKU-Z', quantity: 9 }] } };
    await expect(releaseStock(input, deps)).resolves.toEqual({ outcome: 'released', reservationId: 'rsv_ord-1' });
    expect(logger.entries.map((c) => c.message)).toContain('step input names another reservation');
  });
});

describe('releaseStock: a cancelled transaction', () => {
  beforeEach(() => {
    ddb.on(GetItemCommand).resolves({ Item: reservation() });
  });

  it('is a noop when a concurrent release flipped the record first', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));
    await expect(releaseStock({ order: anOrder() }, deps)).resolves.toEqual({ outcome: 'noop' });
    expect(logger.entries.at(-1)).toMatchObject({ attributes: { reason: 'released_concurrently' } });
  });

  it('raises CompensationFailed naming the SKUs missing from the stock table', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }]));
    const error = await failure(releaseStock({ order: anOrder() }, deps));
    expect(error).toBeInstanceOf(SagaError);
    expect(error).toMatchObject({ name: 'CompensationFailed', retriable: false, disposition: 'escalate' });
    expect(error.message).toBe('Cannot release the stock of order ord-1: SKU SKU-B no longer in the stock table');
  });

  it.each(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'])('maps %s to DatabaseUnavailable', async (code) => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: code }, { Code: 'None' }, { Code: 'None' }]));
    await expect(releaseStock({ order: anOrder() }, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
  });

  it('escalates any other cancellation unchanged', async () => {
    const error = cancelled([{ Code: 'ValidationError' }, { Code: 'None' }, { Code: 'None' }]);
    ddb.on(TransactWriteItemsCommand).rejects(error);
    await expect(releaseStock({ order: anOrder() }, deps)).rejects.toBe(error);
  });
});

describe('releaseStock: other DynamoDB failures', () => {
  it.each<[string, () => Error]>([
    ['ProvisionedThroughputExceededException', () => new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} })],
    ['InternalServerError', () => new InternalServerError({ message: 'x', $metadata: { httpStatusCode: 500 } })],
    ['a connection refusal', () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('maps %s on the read to DatabaseUnavailable', async (_, make) => {
    const cause = make();
    ddb.on(GetItemCommand).rejects(cause);
    const error = await failure(releaseStock({ order: anOrder() }, deps));
    expect(error).toMatchObject({ name: 'DatabaseUnavailable', cause });
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });

  it('maps a throttled transaction to DatabaseUnavailable', async () => {
    ddb.on(GetItemCommand).resolves({ Item: reservation() });
    ddb.on(TransactWriteItemsCommand).rejects(Object.assign(new Error('rate'), { name: 'ThrottlingException', $retryable: { throttling: true } }));
    await expect(releaseStock({ order: anOrder() }, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
  });

  it('rethrows configuration defects unchanged', async () => {
    const cause = new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} });
    ddb.on(GetItemCommand).rejects(cause);
    await expect(releaseStock({ order: anOrder() }, deps)).rejects.toBe(cause);
  });

  it('refuses a malformed stored record', async () => {
    ddb.on(GetItemCommand).resolves({ Item: { ...reservation(), status: { S: 'lost' } } });
    await expect(releaseStock({ order: anOrder() }, deps)).rejects.toThrow('malformed reservation record');
    expect(ddb.commandCalls(TransactWriteItemsCommand)).toHaveLength(0);
  });
});
