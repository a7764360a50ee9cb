import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { anOrder, PII } from '@saga/testkit';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandler, defaultDeps } from './lambda.js';

describe('defaultDeps', () => {
  it('builds the production dependencies from the environment', () => {
    const deps = defaultDeps({ STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders' });
    expect(deps.tables).toEqual({ stock: 'saga-stock', orders: 'saga-orders' });
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => defaultDeps({ STOCK_TABLE: ' ', ORDERS_TABLE: 'ab' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: 'release-stock configuration: STOCK_TABLE is not set; ORDERS_TABLE is not a DynamoDB table name or ARN',
      }),
    );
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

  it('releases (here: nothing) and adds the Lambda context to the logs', async () => {
    ddb.on(GetItemCommand).resolves({});
    const context = { functionName: 'release-stock' } as Context;
    await expect(createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger })({ order: anOrder() }, context)).resolves.toEqual({
      outcome: 'noop',
    });
    expect(logger.contexts).toEqual([context]);
  });

  it('rethrows failures by ASL name and logs them without personal data', async () => {
    ddb.on(GetItemCommand).rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
    await expect(createHandler({ dynamodb, tables: { stock: 's', orders: 'o' }, logger })({ order: anOrder() })).rejects.toMatchObject({
      name: 'DatabaseUnavailable',
    });
    expect(logger.entries.at(-1)).toEqual({
      level: 'error',
      message: 'ReleaseStock failed',
      attributes: {
        step: 'ReleaseStock',
        errorName: 'DatabaseUnavailable',
        retriable: true,
        error: 'DynamoDB GetItem failed: ProvisionedThroughputExceededException (HTTP 400)',
      },
    });
    const logged = JSON.stringify(logger.entries);
    for (const value of PII) expect(logged).not.toContain(value);
  });
});
