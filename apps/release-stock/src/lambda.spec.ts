import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { anOrder, PII, recordingLogger } from '../test/fixtures.js';
import { ConfigError, loadConfig } from './config.js';
import { createHandler, defaultDeps } from './lambda.js';

describe('loadConfig', () => {
  it('reads the table names and the optional endpoint', () => {
    expect(loadConfig({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' })).toEqual({
      stockTable: 'saga-stock',
      ordersTable: 'saga-orders',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => loadConfig({ STOCK_TABLE: ' ', ORDERS_TABLE: 'ab' })).toThrow(
      new ConfigError('release-stock configuration: STOCK_TABLE is not set; ORDERS_TABLE is not a DynamoDB table name or ARN'),
    );
  });

  it('builds the production dependencies from the environment', () => {
    const deps = defaultDeps({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders' });
    expect(deps.tables).toEqual({ stock: 'saga-stock', orders: 'saga-orders' });
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
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

  it('releases (here: nothing) and adds the Lambda context to the logs', async () => {
    ddb.on(GetItemCommand).resolves({});
    const addContext = vi.spyOn(logger, 'addContext');
    const context = { functionName: 'release-stock' } as Context;
    await expect(createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger })({ order: anOrder() }, context)).resolves.toEqual({
      outcome: 'noop',
    });
    expect(addContext).toHaveBeenCalledWith(context);
  });

  it('rethrows failures by ASL name and logs them without personal data', async () => {
    ddb.on(GetItemCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    await expect(createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger })({ order: anOrder() })).rejects.toMatchObject({
      name: 'DatabaseUnavailable',
    });
    expect(logger.calls.at(-1)).toEqual({
      level: 'error',
      message: 'ReleaseStock failed',
      attributes: [
        {
          step: 'ReleaseStock',
          errorName: 'DatabaseUnavailable',
          retriable: true,
          error: 'DynamoDB GetItem failed: ProvisionedThroughputExceededException (HTTP 400)',
        },
      ],
    });
    const logged = JSON.stringify(logger.calls);
    for (const value of PII) expect(logged).not.toContain(value);
  });
});
