import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import Stripe from 'stripe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from './config.js';
import { createPaymentDeps } from './deps.js';

const secretsMock = mockClient(SecretsManagerClient);

afterEach(() => {
  secretsMock.reset();
  vi.unstubAllEnvs();
});

describe('createPaymentDeps', () => {
  it('builds the clients, the lazy Stripe provider and a logger named after the service', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_fromSecret' });
    const deps = createPaymentDeps('charge-payment', { ORDERS_TABLE: 'saga-orders', STRIPE_SECRET_ARN: 'arn:stripe' });
    expect(deps.ordersTable).toBe('saga-orders');
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
    expect(deps.logger).toBeInstanceOf(Logger);
    expect(deps.now()).toBeInstanceOf(Date);
    expect(secretsMock.calls()).toHaveLength(0); // the key is read on first use, not at cold start
    await expect(deps.stripe()).resolves.toBeInstanceOf(Stripe);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'arn:stripe' });
  });

  it('fails fast on incomplete configuration', () => {
    expect(() => createPaymentDeps('refund-payment', { ORDERS_TABLE: 'saga-orders' })).toThrow(ConfigurationError);
  });
});
