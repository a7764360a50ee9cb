import { describe, expect, it } from 'vitest';
import { readConfig } from '../config/env.js';
import { readDynamoSettings } from './settings.js';

describe('readDynamoSettings', () => {
  it('reads the given tables by logical name, and no endpoint', () => {
    expect(readConfig('svc', { STOCK_TABLE: 'saga-stock', ORDERS_TABLE: 'saga-orders' }, (e) => readDynamoSettings(e, 'stock', 'orders'))).toEqual({
      tables: { stock: 'saga-stock', orders: 'saga-orders' },
      clientConfig: {},
    });
  });

  it('takes ARNs and the local endpoint', () => {
    const arn = 'arn:aws:dynamodb:eu-west-1:123456789012:table/saga-receipts';
    expect(
      readConfig('svc', { RECEIPTS_TABLE: arn, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' }, (e) => readDynamoSettings(e, 'receipts')),
    ).toEqual({ tables: { receipts: arn }, clientConfig: { endpoint: 'http://127.0.0.1:8000' } });
  });

  it('names every missing or malformed variable', () => {
    expect(() => readConfig('svc', { ORDERS_TABLE: 'x!', AWS_ENDPOINT_URL_DYNAMODB: 'localhost:8000' }, (e) => readDynamoSettings(e, 'stock', 'orders'))).toThrow(
      'svc configuration: STOCK_TABLE is not set; ORDERS_TABLE is not a DynamoDB table name or ARN; AWS_ENDPOINT_URL_DYNAMODB must be http or https, got localhost:',
    );
  });
});
