import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isSagaError, type ReleaseStockOutput } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import {
  anOrder,
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  putReservation,
  readReservation,
  readStock,
  type ReservationRecord,
  type SagaTableNames,
  sagaTableEnv,
  seedStock,
  startDynamoDbLocal,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps } from '../src/lambda.js';
import { releaseStock, type ReleaseStockDeps } from '../src/release-stock.js';

// The release is a TransactWriteItems: DynamoDB Local (dynalite has no transactions). One server for
// the file; each test gets its own tables.
let server: DynamoServer;
let client: DynamoDBClient;
let names: SagaTableNames;
let deps: ReleaseStockDeps;

beforeAll(async () => {
  server = await startDynamoDbLocal();
  client = createLocalDynamoClient(server.endpoint);
}, 90_000);
afterAll(async () => {
  client?.destroy();
  await server?.close();
}, 30_000);
beforeEach(async () => {
  names = await createSagaTables(client, uniqueSagaTableNames('release'));
  deps = { dynamodb: client, tables: { stock: names.stock, orders: names.orders } };
});
afterEach(() => {
  server.clearFaults();
  server.clearRequests();
});

/** A reservation of 2 × SKU-A and 1 × SKU-B for `ord-1`, as ReserveStock leaves it (stock already taken). */
const reserved: ReservationRecord = {
  orderId: 'ord-1',
  reservationId: 'rsv_ord-1',
  status: 'reserved',
  lines: [
    { sku: 'SKU-A', quantity: 2 },
    { sku: 'SKU-B', quantity: 1 },
  ],
  reservedAt: '2026-11-22T09:00:00.000Z',
};
const input = { order: anOrder(), reservation: { reservationId: 'rsv_ord-1', lines: reserved.lines } };

async function withRetries<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(isSagaError(error) && error.retriable) || attempt >= attempts) throw error;
    }
  }
}

describe('ReleaseStock against DynamoDB Local', () => {
  it('restores the stock once when released twice', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    const now = new Date('2026-11-22T10:00:00.000Z');

    await expect(releaseStock(input, { ...deps, now: () => now })).resolves.toEqual({ outcome: 'released', reservationId: 'rsv_ord-1' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1 });
    expect(await readReservation(client, names.orders, 'ord-1')).toEqual({ ...reserved, status: 'released', releasedAt: now.toISOString() });

    await expect(releaseStock(input, deps)).resolves.toEqual({ outcome: 'noop' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1 });
  });

  it('concurrent releases add the stock back once', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    const outputs = await Promise.all(Array.from({ length: 6 }, () => withRetries(() => releaseStock(input, deps))));
    expect(outputs.filter((o: ReleaseStockOutput) => o.outcome === 'released')).toHaveLength(1);
    expect(outputs.filter((o) => o.outcome === 'noop')).toHaveLength(5);
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1 });
  });

  it('is a noop for an order that was never reserved (no reservation in the input either)', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3 });
    await expect(releaseStock({ order: anOrder({ orderId: 'ord-never' }) }, deps)).resolves.toEqual({ outcome: 'noop' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3 });
    expect(await readReservation(client, names.orders, 'ord-never')).toBeUndefined();
  });

  it('finds the reservation by order id when the input has none (ReserveStock failed after committing)', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 0, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    await expect(releaseStock({ order: anOrder() }, deps)).resolves.toEqual({ outcome: 'released', reservationId: 'rsv_ord-1' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 2, 'SKU-B': 1 });
  });

  it('fails the compensation, writing nothing, when a reserved SKU is gone', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3 });
    await putReservation(client, names.orders, reserved);
    await expect(releaseStock(input, deps)).rejects.toMatchObject({ name: 'CompensationFailed', message: expect.stringContaining('SKU SKU-B') });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3 });
    expect((await readReservation(client, names.orders, 'ord-1'))?.status).toBe('reserved');
  });

  it('maps a conflicting transaction to DatabaseUnavailable; the retry releases once', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    server.addFault({
      operation: 'TransactWriteItems',
      error: 'TransactionCanceledException',
      cancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
    });
    await expect(releaseStock(input, deps)).rejects.toMatchObject({ name: 'DatabaseUnavailable', retriable: true });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3, 'SKU-B': 0 });
    await expect(releaseStock(input, deps)).resolves.toMatchObject({ outcome: 'released' });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1 });
  });

  it('bad input writes nothing', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    server.clearRequests();
    await expect(releaseStock({ order: { ...anOrder(), currency: 'xxx' } }, deps)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(server.requests()).toEqual([]);
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 3, 'SKU-B': 0 });
  });

  it('runs through the Lambda handler configured from the environment', async () => {
    await seedStock(client, names.stock, { 'SKU-A': 3, 'SKU-B': 0 });
    await putReservation(client, names.orders, reserved);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    try {
      const lambdaDeps = defaultDeps({ ...sagaTableEnv(names), AWS_ENDPOINT_URL_DYNAMODB: server.endpoint });
      const handler = createHandler({ ...lambdaDeps, logger: recordingLogger() });
      await expect(handler(input)).resolves.toEqual({ outcome: 'released', reservationId: 'rsv_ord-1' });
      expect(await readStock(client, names.stock)).toEqual({ 'SKU-A': 5, 'SKU-B': 1 });
      lambdaDeps.dynamodb.destroy();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
