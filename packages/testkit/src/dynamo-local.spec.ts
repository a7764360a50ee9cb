import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  readStock,
  seedStock,
  startDynamoDbLocal,
  uniqueSagaTableNames,
} from './dynamo.js';

// One DynamoDB Local per file: its JVM takes seconds to start.
describe('startDynamoDbLocal', () => {
  let server: DynamoServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    server = await startDynamoDbLocal();
    client = createLocalDynamoClient(server.endpoint, { maxAttempts: 1 });
  }, 90_000);
  afterAll(async () => {
    client?.destroy();
    await server?.close();
  }, 30_000);

  it('runs a child process behind 127.0.0.1', () => {
    expect(server.engine).toBe('dynamodb-local');
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.pid).toBeGreaterThan(0);
    expect(isAlive(server.pid!)).toBe(true);
  });

  it('shares one database across credentials and regions (-sharedDb)', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('ddbl'));
    // Other credentials and another region: same tables. (DynamoDB Local accepts letters and digits only in key ids.)
    const other = new DynamoDBClient({
      endpoint: server.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'SomeoneElse', secretAccessKey: 'x' },
    });
    const { TableNames } = await other.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining([names.stock]));
    other.destroy();
  });

  it('enables TTL on the idempotency table', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('ddbl'), { ttl: true });
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: names.idempotency }));
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'expiration', TimeToLiveStatus: 'ENABLED' });
  });

  it('runs transactions: all items or none, with cancellation reasons', async () => {
    const names = await createSagaTables(client, uniqueSagaTableNames('ddbl'));
    await seedStock(client, names.stock, { A: 5, B: 1 });
    const reserve = (orderId: string, a: number, b: number): TransactWriteItemsCommandInput => ({
      TransactItems: [
        {
          Put: {
            TableName: names.orders,
            Item: { pk: { S: `ORDER#${orderId}` }, sk: { S: 'RESERVATION' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...(
          [
            ['A', a],
            ['B', b],
          ] as const
        ).map(([sku, q]) => ({
          Update: {
            TableName: names.stock,
            Key: { sku: { S: sku } },
            UpdateExpression: 'SET available = available - :q',
            ConditionExpression: 'available >= :q',
            ExpressionAttributeValues: { ':q': { N: String(q) } },
          },
        })),
      ],
    });
    await expect(client.send(new TransactWriteItemsCommand(reserve('o1', 2, 2)))).rejects.toMatchObject({
      name: 'TransactionCanceledException',
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
    });
    expect(await readStock(client, names.stock)).toEqual({ A: 5, B: 1 });
    await client.send(new TransactWriteItemsCommand(reserve('o1', 2, 1)));
    expect(await readStock(client, names.stock)).toEqual({ A: 3, B: 0 });
  });

  it('logs and faults requests like the dynalite front', async () => {
    server.addFault({ operation: 'ListTables', error: 'ServiceUnavailable' });
    await expect(client.send(new ListTablesCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    await client.send(new ListTablesCommand({}));
    expect(server.requests('ListTables').slice(-2).map((e) => e.status)).toEqual([503, 200]);
  });

  // Last: closes the shared server (afterAll's close is then a no-op).
  it('kills the child on close, idempotently', async () => {
    const pid = server.pid!;
    await Promise.all([server.close(), server.close()]);
    expect(isAlive(pid)).toBe(false);
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
