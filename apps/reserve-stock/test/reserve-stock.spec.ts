import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { isSagaError, type ReserveStockOutput } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import {
  anOrder,
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  readReservation,
  readStock,
  type SagaTableNames,
  sagaTableEnv,
  seedStock,
  startDynamoDbLocal,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps } from '../src/lambda.js';
import { reserveStock, type ReserveStockDeps } from '../src/reserve-stock.js';

// TransactWriteItems needs DynamoDB Local (dynalite has no transactions). One server for the file;
// each test gets its own tables.
let server: DynamoServer;
let client: DynamoDBClient;
let names: SagaTableNames;
let deps: ReserveStockDeps;

beforeAll(async () => {
  server = await startDynamoDbLocal();
  client = createLocalDynamoClient(server.endpoint);
}, 90_000);
afterAll(async () => {
  client?.destroy();
  await server?.close();
}, 30_000);
beforeEach(async () => {
  names = await createSagaTables(client, uniqueSagaTableNames('reserve'));
  deps = { dynamodb: client, tables: { stock: names.stock, orders: names.orders } };
});
afterEach(() => {
  server.clearFaults();
  server.clearRequests();
});

/** What a Step Functions Retry on the retriable taxonomy errors does, without the waiting. */
async function withRetries<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(isSagaError(error) && error.retriable) || attempt >= attempts) throw error;
    }
  }
}

async function reservationCount(): Promise<number> {
  const { Count } = await client.send(new ScanCommand({ TableName: names.orders, Select: 'COUNT', ConsistentRead: true }));
  return Count ?? 0;
}

describe('ReserveStock against DynamoDB Local', () => {
  it('20 concurrent one-unit orders against 10 units: exactly 10 reserve, 10 are OutOfStock, stock never negative', async () => {
    await seedStock(client, names.stock, { 'SKU-HOT': 10 });

    // Watch the stock while the reservations race.
    const observed: number[] = [];
    let racing = true;
    const watcher = (async () => {
      while (racing) {
        const { 'SKU-HOT': available } = await readStock(client, names.stock, ['SKU-HOT']);
        if (available !== undefined) observed.push(available);
      }
    })();

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        withRetries(() => reserveStock({ order: anOrder({ orderId: `ord-${i}`, lines: [{ sku: 'SKU-HOT', quantity: 1, unitPrice: 500 }] }) }, deps)),
      ),
    );
    racing = false;
    await watcher;

    const fulfilled = results.filter((r): r is PromiseFulfilledResult<ReserveStockOutput> => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(10);
    expect(rejected).toHaveLength(10);
    for (const r of rejected) expect(r.reason).toMatchObject({ name: 'OutOfStock', message: 'Not enough stock for SKU SKU-HOT' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-HOT': 0 });
    expect(observed.length).toBeGreaterThan(0);
    expect(Math.min(...observed)).toBeGreaterThanOrEqual(0);
    expect(await reservationCount()).toBe(10);
  });

  it('writes the reservation record in the layout ReleaseStock reads', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5, 'SKU-B': 5 });
    const order = anOrder({
      lines: [
        { sku: 'SKU-A', quantity: 2, unitPrice: 100 },
        { sku: 'SKU-B', quantity: 3, unitPrice: 100 },
      ],
    });
    const now = new Date('2026-11-22T10:00:00.000Z');
    const output = await reserveStock({ order }, { ...deps, now: () => now });

    expect(output).toEqual({
      reservationId: 'rsv_ord-1',
      lines: [
        { sku: 'SKU-A', quantity: 2 },
        { sku: 'SKU-B', quantity: 3 },
      ],
    });
    expect(await readReservation(client, names.orders, 'ord-1')).toEqual({
      orderId: 'ord-1',
      reservationId: 'rsv_ord-1',
      status: 'reserved',
      lines: output.lines,
      reservedAt: now.toISOString(),
    });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3, 'SKU-B': 2 });
  });

  it('a replayed reservation changes nothing and returns the same output', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    const input = { order: anOrder({ lines: [{ sku: 'SKU-A', quantity: 2, unitPrice: 100 }] }) };
    const first = await reserveStock(input, deps);
    const record = await readReservation(client, names.orders, 'ord-1');

    const second = await reserveStock(input, { ...deps, now: () => new Date('2030-01-01T00:00:00.000Z') });
    expect(second).toEqual(first);
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3 });
    expect(await readReservation(client, names.orders, 'ord-1')).toEqual(record);
  });

  it('concurrent duplicates of one order reserve it once', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 10 });
    const input = { order: anOrder({ lines: [{ sku: 'SKU-A', quantity: 3, unitPrice: 100 }] }) };
    const outputs = await Promise.all(Array.from({ length: 5 }, () => withRetries(() => reserveStock(input, deps))));
    for (const output of outputs) expect(output).toEqual({ reservationId: 'rsv_ord-1', lines: [{ sku: 'SKU-A', quantity: 3 }] });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 7 });
    expect(await reservationCount()).toBe(1);
  });

  it('a multi-line order with one short SKU reserves nothing', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5, 'SKU-B': 1, 'SKU-C': 5 });
    const order = anOrder({
      lines: [
        { sku: 'SKU-A', quantity: 2, unitPrice: 100 },
        { sku: 'SKU-B', quantity: 2, unitPrice: 100 },
        { sku: 'SKU-C', quantity: 2, unitPrice: 100 },
      ],
    });
    await expect(reserveStock({ order }, deps)).rejects.toMatchObject({ name: 'OutOfStock', message: 'Not enough stock for SKU SKU-B' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1, 'SKU-C': 5 });
    expect(await readReservation(client, names.orders, 'ord-1')).toBeUndefined();

    // Once restocked, the same order reserves.
    await seedStock(client, names.stock, { 'SKU-B': 2 });
    await expect(reserveStock({ order }, deps)).resolves.toMatchObject({ reservationId: 'rsv_ord-1' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3, 'SKU-B': 0, 'SKU-C': 3 });
  });

  it('an unknown SKU is out of stock, and creates no stock item', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    const order = anOrder({
      lines: [
        { sku: 'SKU-A', quantity: 1, unitPrice: 100 },
        { sku: 'SKU-GHOST', quantity: 1, unitPrice: 100 },
      ],
    });
    await expect(reserveStock({ order }, deps)).rejects.toMatchObject({ name: 'OutOfStock', message: 'Not enough stock for SKU SKU-GHOST' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5 });
  });

  it('bad input writes nothing', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    const order = anOrder({ lines: [{ sku: 'SKU-A', quantity: -1, unitPrice: 100 }] });
    server.clearRequests();
    await expect(reserveStock({ order }, deps)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(server.requests()).toEqual([]);
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5 });
    expect(await reservationCount()).toBe(0);
  });

  it('maps a conflicting transaction to DatabaseUnavailable, and the retry succeeds', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    server.addFault({
      operation: 'TransactWriteItems',
      error: 'TransactionCanceledException',
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]',
      cancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }],
    });
    const input = { order: anOrder() };
    await expect(reserveStock(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5 });
    await expect(reserveStock(input, deps)).resolves.toMatchObject({ reservationId: 'rsv_ord-1' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 4 });
  });

  it('maps throttling that outlasts the SDK retries to DatabaseUnavailable', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    server.addFault({ operation: 'TransactWriteItems', error: 'ProvisionedThroughputExceededException', times: 3 });
    await expect(reserveStock({ order: anOrder() }, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable' });
    expect(server.requests('TransactWriteItems').filter((r) => r.faultId !== undefined)).toHaveLength(3);
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5 });
  });

  it('runs through the Lambda handler configured from the environment', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 5 });
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    try {
      const lambdaDeps = defaultDeps({ ...sagaTableEnv(names), AWS_ENDPOINT_URL_DYNAMODB: server.endpoint });
      const handler = createHandler({ ...lambdaDeps, logger: recordingLogger() });
      await expect(handler({ order: anOrder() })).resolves.toEqual({ reservationId: 'rsv_ord-1', lines: [{ sku: 'SKU-A', quantity: 1 }] });
      expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 4 });
      lambdaDeps.dynamodb.destroy();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
