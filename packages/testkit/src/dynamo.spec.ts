import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalDynamoClient,
  createSagaTables,
  createTableInput,
  DEFAULT_SAGA_TABLE_NAMES,
  type DynamoServer,
  orderRecordKey,
  putReservation,
  readReceipt,
  readReservation,
  readStock,
  sagaTableEnv,
  SagaTables,
  seedStock,
  startDynalite,
  tablesOf,
  uniqueSagaTableNames,
} from './dynamo.js';

describe('saga table definitions', () => {
  it('describes each table as data the stack can reuse', () => {
    expect(createTableInput(SagaTables.orders, 'o')).toEqual({
      TableName: 'o',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(createTableInput(SagaTables.stock, 's').KeySchema).toEqual([{ AttributeName: 'sku', KeyType: 'HASH' }]);
    expect(createTableInput(SagaTables.receipts, 'r').KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
    expect(SagaTables.idempotency.ttlAttribute).toBe('expiration');
    expect(orderRecordKey('ord-1', 'RESERVATION')).toEqual({ pk: 'ORDER#ord-1', sk: 'RESERVATION' });
  });

  it('maps table names to the environment the Lambdas read', () => {
    expect(sagaTableEnv({ stock: 'my-stock' })).toEqual({
      STOCK_TABLE: 'my-stock',
      ORDERS_TABLE: DEFAULT_SAGA_TABLE_NAMES.orders,
      RECEIPTS_TABLE: DEFAULT_SAGA_TABLE_NAMES.receipts,
      IDEMPOTENCY_TABLE: DEFAULT_SAGA_TABLE_NAMES.idempotency,
    });
    const a = uniqueSagaTableNames('t');
    const b = uniqueSagaTableNames('t');
    expect(a.stock).toMatch(/^t-stock-[a-z0-9]+$/);
    expect(a.stock).not.toBe(b.stock);
  });

  it('finds the tables a request touches', () => {
    expect(tablesOf('{"TableName":"a"}')).toEqual(['a']);
    expect(tablesOf('{"RequestItems":{"a":[],"b":[]}}')).toEqual(['a', 'b']);
    expect(
      tablesOf(JSON.stringify({ TransactItems: [{ Put: { TableName: 'o' } }, { Update: { TableName: 's' } }, { Update: { TableName: 's' } }] })),
    ).toEqual(['o', 's']);
    expect(tablesOf('not json')).toEqual([]);
  });
});

describe('startDynalite', () => {
  let server: DynamoServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    server = await startDynalite();
    client = createLocalDynamoClient(server.endpoint, { maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });
  afterEach(() => {
    server.clearFaults();
    server.clearRequests();
  });

  it('listens on 127.0.0.1 and a free port', () => {
    expect(server.engine).toBe('dynalite');
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(server.pid).toBeUndefined();
  });

  it('creates the saga tables, seeds and reads stock', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(names)));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: names.orders }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

    await seedStock(client, names.stock, { 'SKU-1': 10, 'SKU-2': 0 });
    expect(await readStock(client, names.stock)).toEqual({ 'SKU-1': 10, 'SKU-2': 0 });
    expect(await readStock(client, names.stock, ['SKU-1', 'NOPE'])).toEqual({ 'SKU-1': 10 });
    await expect(seedStock(client, names.stock, { BAD: -1 })).rejects.toThrow(/non-negative integer/);
  });

  it('supports conditional decrements (the single-item tier)', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    await seedStock(client, names.stock, { A: 10 });
    const decrement = () =>
      client.send(
        new UpdateItemCommand({
          TableName: names.stock,
          Key: { sku: { S: 'A' } },
          UpdateExpression: 'SET available = available - :q',
          ConditionExpression: 'available >= :q',
          ExpressionAttributeValues: { ':q': { N: '1' } },
        }),
      );
    const results = await Promise.allSettled(Array.from({ length: 20 }, decrement));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(await readStock(client, names.stock, ['A'])).toEqual({ A: 0 });
  });

  it('answers scripted faults, then forwards again', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    const id = server.addFault({ operation: 'PutItem', table: names.stock, error: 'ProvisionedThroughputExceededException', times: 2 });
    expect(server.faults()).toEqual([expect.objectContaining({ id, remaining: 2 })]);

    const put = () => client.send(new PutItemCommand({ TableName: names.stock, Item: { sku: { S: 'X' }, available: { N: '1' } } }));
    await expect(put()).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
    // Other operations and tables are untouched.
    await client.send(new GetItemCommand({ TableName: names.stock, Key: { sku: { S: 'X' } } }));
    await expect(put()).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    await put();
    expect(server.faults()).toEqual([]);

    const log = server.requests('PutItem');
    expect(log.map((e) => [e.status, e.faultId])).toEqual([
      [400, id],
      [400, id],
      [200, undefined],
    ]);
    expect(log[0]?.tables).toEqual([names.stock]);
  });

  it('injects 5xx errors, TransactionCanceled reasons, resets and delays', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    const get = () => client.send(new GetItemCommand({ TableName: names.stock, Key: { sku: { S: 'X' } } }));

    server.addFault({ error: 'InternalServerError' });
    await expect(get()).rejects.toMatchObject({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });

    server.addFault({ error: 'TransactionCanceledException', cancellationReasons: [{ Code: 'TransactionConflict' }] });
    await expect(get()).rejects.toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'TransactionConflict' }] });

    server.addFault({ reset: true });
    await expect(get()).rejects.toThrow();
    expect(server.requests().at(-1)?.status).toBe(0);

    server.addFault({ delayMs: 150 });
    const started = Date.now();
    await get();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('exposes faults and the request log over HTTP for other processes', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    const admin = `${server.endpoint}/__admin`;
    const created = await fetch(`${admin}/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'GetItem', error: 'ThrottlingException', times: 1 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(((await (await fetch(`${admin}/faults`)).json()) as { faults: unknown[] }).faults).toEqual([
      expect.objectContaining({ id, operation: 'GetItem', error: 'ThrottlingException', remaining: 1 }),
    ]);

    await expect(client.send(new GetItemCommand({ TableName: names.stock, Key: { sku: { S: 'X' } } }))).rejects.toMatchObject({
      name: 'ThrottlingException',
    });

    const requests = (await (await fetch(`${admin}/requests?operation=GetItem`)).json()) as { requests: Array<{ faultId?: string }> };
    expect(requests.requests).toEqual([expect.objectContaining({ operation: 'GetItem', faultId: id, status: 400 })]);

    expect((await fetch(`${admin}/faults`, { method: 'POST', body: '{"times":0}' })).status).toBe(400);
    expect((await fetch(`${admin}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${admin}/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(server.requests()).toEqual([]);
    expect((await fetch(`${admin}/nope`)).status).toBe(404);
  });

  it('writes and reads reservation records and receipt rows in the apps\' layout', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('dl'));
    const record = {
      orderId: 'ord-1',
      reservationId: 'rsv_ord-1',
      status: 'released' as const,
      lines: [{ sku: 'A', quantity: 2 }],
      reservedAt: '2026-11-22T09:00:00.000Z',
      releasedAt: '2026-11-22T09:30:00.000Z',
    };
    await putReservation(client, names.orders, record);
    expect(await readReservation(client, names.orders, 'ord-1')).toEqual(record);
    const { Item } = await client.send(
      new GetItemCommand({ TableName: names.orders, Key: { pk: { S: 'ORDER#ord-1' }, sk: { S: 'RESERVATION' } } }),
    );
    expect(Item?.['lines']).toEqual({ L: [{ M: { sku: { S: 'A' }, quantity: { N: '2' } } }] });
    expect(await readReservation(client, names.orders, 'nope')).toBeUndefined();

    await client.send(
      new PutItemCommand({
        TableName: names.receipts,
        Item: { orderId: { S: 'ord-1' }, amount: { N: '2500' }, ok: { BOOL: true }, gone: { NULL: true }, tags: { SS: ['x'] } },
      }),
    );
    expect(await readReceipt(client, names.receipts, 'ord-1')).toEqual({ orderId: 'ord-1', amount: 2500, ok: true, gone: null, tags: ['x'] });
    expect(await readReceipt(client, names.receipts, 'nope')).toBeUndefined();
  });

  it('rejects malformed faults', () => {
    expect(() => server.addFault({})).toThrow(/error, reset or delayMs/);
    expect(() => server.addFault({ error: 'X', times: 0 })).toThrow(RangeError);
    expect(() => server.addFault({ error: 'not a name!' })).toThrow(/DynamoDB error name/);
  });

  it('ignores the missing UpdateTimeToLive unless TTL is required', async () => {
    const names = uniqueSagaTableNames('dl');
    await createSagaTables(client, names);
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: names.idempotency }));
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    await expect(createSagaTables(client, uniqueSagaTableNames('dl'), { ttl: true })).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });
});

describe('startDynalite lifecycle', () => {
  it('closes idempotently and frees the port', async () => {
    const server = await startDynalite();
    const client = createLocalDynamoClient(server.endpoint, { maxAttempts: 1 });
    await client.send(new ListTablesCommand({}));
    await Promise.all([server.close(), server.close()]);
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    client.destroy();
  });
});
