import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import { InvalidOrderError, SagaError } from '@saga/contracts';
import { reservationItem } from '@saga/lambda-kit/dynamo';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { anOrder, PII } from '@saga/testkit';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reserveStock, type ReserveStockDeps } from './reserve-stock.js';

const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const ddb = mockClient(dynamodb);
const NOW = new Date('2026-11-22T10:00:00.000Z');
let logger: RecordingLogger;
let deps: ReserveStockDeps;

beforeEach(() => {
  ddb.reset();
  logger = recordingLogger();
  deps = { dynamodb, tables: { stock: 'stock', orders: 'orders' }, now: () => NOW, logger };
});
afterEach(() => {
  // No log line may carry personal data.
  const logged = JSON.stringify(logger.entries);
  for (const value of PII) expect(logged).not.toContain(value);
});

const twoLines = anOrder({
  lines: [
    { sku: 'SKU-A', quantity: 2, unitPrice: 100 },
    { sku: 'SKU-B', quantity: 1, unitPrice: 100 },
  ],
});

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons,
  });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('reserveStock: validation', () => {
  it.each([
    ['no order', {}],
    ['no lines', { order: { ...anOrder(), lines: [] } }],
    ['a zero quantity', { order: anOrder({ lines: [{ sku: 'SKU-A', quantity: 0, unitPrice: 1 }] }) }],
    ['a duplicate SKU', { order: anOrder({ lines: [{ sku: 'A', quantity: 1, unitPrice: 1 }, { sku: 'A', quantity: 1, unitPrice: 1 }] }) }],
    ['not an object', 'reserve please'],
  ])('rejects %s with InvalidOrder before any write', async (_, input) => {
    const error = await failure(reserveStock(input, deps));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.name).toBe('InvalidOrder');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('does not echo personal data in the InvalidOrder message', async () => {
    const order = anOrder();
    const bad = { order: { ...order, customer: { ...order.customer, email: 'ada at example.com' } } };
    const error = await failure(reserveStock(bad, deps));
    expect(error.message).toContain('customer.email');
    expect(error.message).not.toContain('ada at example.com');
  });

  it('ignores the other slots of the saga state', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    await expect(reserveStock({ order: anOrder(), payment: { anything: true } }, deps)).resolves.toMatchObject({ reservationId: 'rsv_ord-1' });
  });
});

describe('reserveStock: the transaction', () => {
  it('puts the reservation record and decrements every line conditionally, in one transaction', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const output = await reserveStock({ order: twoLines }, deps);

    expect(output).toEqual({
      reservationId: 'rsv_ord-1',
      lines: [
        { sku: 'SKU-A', quantity: 2 },
        { sku: 'SKU-B', quantity: 1 },
      ],
    });
    const calls = ddb.commandCalls(TransactWriteItemsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.TransactItems).toEqual([
      {
        Put: {
          TableName: 'orders',
          Item: reservationItem({
            orderId: 'ord-1',
            reservationId: 'rsv_ord-1',
            status: 'reserved',
            lines: output.lines,
            reservedAt: NOW.toISOString(),
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      ...[
        ['SKU-A', '2'],
        ['SKU-B', '1'],
      ].map(([sku, quantity]) => ({
        Update: {
          TableName: 'stock',
          Key: { sku: { S: sku } },
          UpdateExpression: 'SET #available = #available - :quantity',
          ConditionExpression: 'attribute_exists(#sku) AND #available >= :quantity',
          ExpressionAttributeNames: { '#available': 'available', '#sku': 'sku' },
          ExpressionAttributeValues: { ':quantity': { N: quantity } },
        },
      })),
    ]);
    // The record holds no personal data.
    expect(JSON.stringify(calls[0]!.args[0].input)).not.toMatch(/Ada|example\.com|Analytical/);
    expect(logger.entries).toContainEqual({
      level: 'info',
      message: 'stock reserved',
      attributes: { orderId: 'ord-1', step: 'ReserveStock', outcome: 'reserved', lines: 2 },
    });
  });
});

describe('reserveStock: a cancelled transaction', () => {
  const existing = reservationItem({
    orderId: 'ord-1',
    reservationId: 'rsv_ord-1',
    status: 'reserved',
    lines: [
      { sku: 'SKU-B', quantity: 1 },
      { sku: 'SKU-A', quantity: 2 },
    ],
    reservedAt: '2026-11-22T09:00:00.000Z',
  });

  it('returns the existing reservation when the record exists (replay: nothing reserved twice)', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: existing }, { Code: 'None' }, { Code: 'None' }]));
    await expect(reserveStock({ order: twoLines }, deps)).resolves.toEqual({
      reservationId: 'rsv_ord-1',
      lines: [
        { sku: 'SKU-B', quantity: 1 },
        { sku: 'SKU-A', quantity: 2 },
      ],
    });
    expect(ddb.commandCalls(GetItemCommand)).toHaveLength(0);
    expect(logger.entries.map((c) => c.message)).toContain('stock already reserved');
  });

  it('prefers "already reserved" over stock conditions that now fail because of that reservation', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      cancelled([{ Code: 'ConditionalCheckFailed', Item: existing }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }]),
    );
    await expect(reserveStock({ order: twoLines }, deps)).resolves.toMatchObject({ reservationId: 'rsv_ord-1' });
  });

  it('reads the record when the reason carries no item', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));
    ddb.on(GetItemCommand).resolves({ Item: existing });
    await expect(reserveStock({ order: twoLines }, deps)).resolves.toMatchObject({ reservationId: 'rsv_ord-1' });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: 'orders',
      Key: { pk: { S: 'ORDER#ord-1' }, sk: { S: 'RESERVATION' } },
      ConsistentRead: true,
    });
  });

  it('asks for a retry when the record vanished before it could be read', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));
    ddb.on(GetItemCommand).resolves({});
    const error = await failure(reserveStock({ order: twoLines }, deps));
    expect(error).toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
  });

  it('maps a throttled read of the existing record to DatabaseUnavailable', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));
    ddb.on(GetItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(reserveStock({ order: twoLines }, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
  });

  it('refuses an order whose reservation was already released', async () => {
    const released = { ...existing, status: { S: 'released' }, releasedAt: { S: '2026-11-22T09:30:00.000Z' } };
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: released }, { Code: 'None' }, { Code: 'None' }]));
    const error = await failure(reserveStock({ order: twoLines }, deps));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.message).toContain('reservation_released');
  });

  it('refuses an order whose existing reservation has other lines', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: existing }, { Code: 'None' }]));
    const error = await failure(reserveStock({ order: anOrder() }, deps));
    expect(error).toBeInstanceOf(InvalidOrderError);
    expect(error.message).toContain('reservation_mismatch');
  });

  it('raises OutOfStock naming only the short SKUs', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { sku: { S: 'SKU-B' }, available: { N: '0' } } }]),
    );
    const error = await failure(reserveStock({ order: twoLines }, deps));
    expect(error).toBeInstanceOf(SagaError);
    expect(error).toMatchObject({ name: 'OutOfStock', retriable: false, disposition: 'compensate' });
    expect(error.message).toBe('Not enough stock for SKU SKU-B');
    for (const value of PII) expect(error.message).not.toContain(value);
  });

  it('lists every short SKU', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'ConditionalCheckFailed' }]),
    );
    await expect(reserveStock({ order: twoLines }, deps)).rejects.toThrow('Not enough stock for SKUs SKU-A, SKU-B');
  });

  it.each(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded'])(
    'maps a %s cancellation to the retriable DatabaseUnavailable',
    async (code) => {
      ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'None' }, { Code: code }, { Code: 'None' }]));
      const error = await failure(reserveStock({ order: twoLines }, deps));
      expect(error).toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
      expect(error.message).toContain(code);
    },
  );

  it('escalates any other cancellation unchanged (a defect, not a business outcome)', async () => {
    const error = cancelled([{ Code: 'ValidationError' }, { Code: 'None' }, { Code: 'None' }]);
    ddb.on(TransactWriteItemsCommand).rejects(error);
    await expect(reserveStock({ order: twoLines }, deps)).rejects.toBe(error);
  });
});

describe('reserveStock: other DynamoDB failures', () => {
  it.each<[string, () => Error]>([
    ['ProvisionedThroughputExceededException', () => new ProvisionedThroughputExceededException({ message: 'x', $metadata: {} })],
    ['InternalServerError', () => new InternalServerError({ message: 'x', $metadata: { httpStatusCode: 500 } })],
    ['ThrottlingException', () => Object.assign(new Error('rate'), { name: 'ThrottlingException', $retryable: { throttling: true } })],
    ['a 503', () => Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } })],
    ['a connection reset', () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timeout', () => Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['TransactionInProgressException', () => Object.assign(new Error('busy'), { name: 'TransactionInProgressException' })],
  ])('maps %s to DatabaseUnavailable', async (_, make) => {
    const cause = make();
    ddb.on(TransactWriteItemsCommand).rejects(cause);
    const error = await failure(reserveStock({ order: anOrder() }, deps));
    expect(error).toBeInstanceOf(SagaError);
    expect(error).toMatchObject({ name: 'DatabaseUnavailable', retriable: true, disposition: 'escalate' });
    expect(error.cause).toBe(cause);
  });

  it('rethrows configuration defects (a missing table) unchanged', async () => {
    const cause = new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: { httpStatusCode: 400 } });
    ddb.on(TransactWriteItemsCommand).rejects(cause);
    await expect(reserveStock({ order: anOrder() }, deps)).rejects.toBe(cause);
  });

  it('rejects a malformed stored record instead of trusting it', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(cancelled([{ Code: 'ConditionalCheckFailed', Item: { pk: { S: 'ORDER#ord-1' } } }, { Code: 'None' }]));
    await expect(reserveStock({ order: anOrder() }, deps)).rejects.toThrow('malformed reservation record');
  });
});
