import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { anOrder, PII, recordingLogger } from '../test/fixtures.js';
import { ConfigError, loadConfig } from './config.js';
import { createHandler, defaultDeps } from './lambda.js';

describe('loadConfig', () => {
  it('reads the table names and the optional endpoint', () => {
    expect(loadConfig({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders' })).toEqual({ stockTable: 'saga-stock', ordersTable: 'saga-orders' });
    expect(
      loadConfig({
        STOCK_TABLE: 'arn:aws:dynamodb:eu-west-1:123456789012:table/saga-stock',
        ORDERS_TABLE: 'saga-orders',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      }),
    ).toEqual({
      stockTable: 'arn:aws:dynamodb:eu-west-1:123456789012:table/saga-stock',
      ordersTable: 'saga-orders',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => loadConfig({ ORDERS_TABLE: 'x!', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' })).toThrow(
      new ConfigError(
        'reserve-stock configuration: STOCK_TABLE is not set; ORDERS_TABLE is not a DynamoDB table name or ARN; AWS_ENDPOINT_URL_DYNAMODB is not an http(s) URL',
      ),
    );
    expect(() => defaultDeps({})).toThrow(ConfigError);
  });

  it('builds the production dependencies from the environment', () => {
    const deps = defaultDeps({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });
    expect(deps.tables).toEqual({ stock: 'saga-stock', orders: 'saga-orders' });
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
    expect(deps.now?.()).toBeInstanceOf(Date);
  });
});

describe('createHandler', () => {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const ddb = mockClient(dynamodb);
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(() => {
    ddb.reset();
    logger = recordingLogger();
  });

  const handlerWith = () => createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger });

  it('reserves and returns the step output', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const addContext = vi.spyOn(logger, 'addContext');
    const context = { functionName: 'reserve-stock', awsRequestId: 'req-1' } as Context;
    await expect(handlerWith()({ order: anOrder() }, context)).resolves.toEqual({
      reservationId: 'rsv_ord-1',
      lines: [{ sku: 'SKU-A', quantity: 1 }],
    });
    expect(addContext).toHaveBeenCalledWith(context);
  });

  it('rethrows the error with its ASL name and logs it without personal data', async () => {
    const order = anOrder();
    const bad = { order: { ...order, customer: { ...order.customer, phone: 'call Ada on 0770' } } };
    await expect(handlerWith()(bad)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(logger.calls).toEqual([
      {
        level: 'error',
        message: 'ReserveStock failed',
        attributes: [expect.objectContaining({ step: 'ReserveStock', errorName: 'InvalidOrder', retriable: false })],
      },
    ]);
    const logged = JSON.stringify(logger.calls);
    for (const value of [...PII, 'call Ada']) expect(logged).not.toContain(value);
  });

  it('writes structured Powertools logs for the service, without personal data', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const { logger: powertools } = defaultDeps({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders' });
      await createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger: powertools })({ order: anOrder() });
    } finally {
      write.mockRestore();
    }
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toContainEqual(
      expect.objectContaining({ level: 'INFO', service: 'reserve-stock', message: 'stock reserved', orderId: 'ord-1', outcome: 'reserved' }),
    );
    for (const value of PII) expect(lines.join('')).not.toContain(value);
  });

  it('logs foreign errors by name and status only', async () => {
    ddb.on(TransactWriteItemsCommand).rejects(
      Object.assign(new Error('Requested resource not found: Table: secret-name not found'), {
        name: 'ResourceNotFoundException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(handlerWith()({ order: anOrder() })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(logger.calls.at(-1)?.attributes).toEqual([
      { step: 'ReserveStock', errorName: 'ResourceNotFoundException', retriable: undefined, error: 'ResourceNotFoundException (HTTP 400)' },
    ]);
  });
});
