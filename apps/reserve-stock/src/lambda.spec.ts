import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '@saga/lambda-kit/config';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { anOrder, PII } from '@saga/testkit';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps } from './lambda.js';

describe('defaultDeps', () => {
  it('builds the production dependencies from the environment (names or ARNs, optional endpoint)', async () => {
    const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/saga-stock';
    const deps = defaultDeps({ STOCK_TABLE: arn, ORDERS_TABLE: 'saga-orders', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' });
    expect(deps.tables).toEqual({ stock: arn, orders: 'saga-orders' });
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
    expect(await deps.dynamodb.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 8000 });
    expect(deps.now?.()).toBeInstanceOf(Date);
  });

  it('fails at cold start naming every missing or malformed variable at once', () => {
    expect(() => defaultDeps({ ORDERS_TABLE: 'x!', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: 'reserve-stock configuration: STOCK_TABLE is not set; ORDERS_TABLE is not a DynamoDB table name or ARN; AWS_ENDPOINT_URL_DYNAMODB must be http or https, got localhost:',
      }),
    );
    expect(() => defaultDeps({})).toThrow(ConfigError);
  });
});

describe('createHandler', () => {
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const ddb = mockClient(dynamodb);
  let logger: RecordingLogger;

  beforeEach(() => {
    ddb.reset();
    logger = recordingLogger();
  });

  const handlerWith = () => createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger });

  it('reserves and returns the step output', async () => {
    ddb.on(TransactWriteItemsCommand).resolves({});
    const context = { functionName: 'reserve-stock', awsRequestId: 'req-1' } as Context;
    await expect(handlerWith()({ order: anOrder() }, context)).resolves.toEqual({
      reservationId: 'rsv_ord-1',
      lines: [{ sku: 'SKU-A', quantity: 1 }],
    });
    expect(logger.contexts).toEqual([context]);
  });

  it('rethrows the error with its ASL name and logs it without personal data', async () => {
    const order = anOrder();
    const bad = { order: { ...order, customer: { ...order.customer, phone: 'call Ada on 0770' } } };
    await expect(handlerWith()(bad)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'ReserveStock failed',
        attributes: expect.objectContaining({ step: 'ReserveStock', errorName: 'InvalidOrder', retriable: false }),
      },
    ]);
    const logged = JSON.stringify(logger.entries);
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
    expect(logger.entries.at(-1)?.attributes).toEqual({
      step: 'ReserveStock',
      errorName: 'ResourceNotFoundException',
      retriable: undefined,
      error: 'ResourceNotFoundException (HTTP 400)',
    });
  });
});
