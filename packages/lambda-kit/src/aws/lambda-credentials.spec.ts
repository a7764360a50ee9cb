import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider, LambdaCredentialsError } from './lambda-credentials.js';

const VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_ACCOUNT_ID'];

beforeEach(() => {
  for (const name of VARS) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('defaultProvider (environment only)', () => {
  it('returns the credentials the Lambda runtime puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    await expect(defaultProvider()()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('reads the environment on each call (no stale credentials)', async () => {
    const provider = defaultProvider();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'A1');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 's');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'A1' });
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'A2');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'A2' });
  });

  it('names the missing variables, never a value', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    const error = await defaultProvider()().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaCredentialsError);
    expect((error as Error).message).toMatch(/^AWS credentials are not in the environment \(AWS_SECRET_ACCESS_KEY not set\)/);
    expect((error as Error).message).not.toContain('ASIAEXAMPLE');
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    await expect(defaultProvider()()).rejects.toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set/);
  });

  it('fits an SDK client as its credentialDefaultProvider (how the bundle alias wires it)', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const client = new DynamoDBClient({ region: 'eu-west-1', credentialDefaultProvider: defaultProvider });
    try {
      await expect(client.config.credentials()).resolves.toMatchObject({ accessKeyId: 'ASIAEXAMPLE' });
    } finally {
      client.destroy();
    }
  });
});
