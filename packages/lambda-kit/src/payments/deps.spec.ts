import { Logger } from '@aws-lambda-powertools/logger';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from './config.js';
import { createPaymentDeps } from './deps.js';

let extension: Server | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (extension ? extension.close(resolve) : resolve(undefined)));
  extension = undefined;
});

describe('createPaymentDeps', () => {
  it('builds the lazy Stripe provider (key through the Lambda extension) and a logger named after the service; no AWS client', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    const requests: { url: string | undefined; token: string | string[] | undefined }[] = [];
    extension = createServer((req, res) => {
      requests.push({ url: req.url, token: req.headers['x-aws-parameters-secrets-token'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SecretString: 'sk_test_fromSecret' }));
    });
    await new Promise<void>((resolve) => extension!.listen(0, 'localhost', resolve));
    const port = String((extension.address() as AddressInfo).port);

    const deps = createPaymentDeps('charge-payment', {
      STRIPE_SECRET_ARN: 'arn:stripe',
      AWS_SESSION_TOKEN: 'session-token',
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port,
    });
    expect(Object.keys(deps).sort()).toEqual(['logger', 'stripe']);
    expect(deps.logger).toBeInstanceOf(Logger);
    expect(requests).toHaveLength(0); // the key is read on first use, not at cold start
    await expect(deps.stripe()).resolves.toBeInstanceOf(Stripe);
    await deps.stripe();
    expect(requests).toEqual([{ url: '/secretsmanager/get?secretId=arn%3Astripe', token: 'session-token' }]);
  });

  it('fails fast on incomplete configuration', () => {
    expect(() => createPaymentDeps('refund-payment', {})).toThrow(ConfigurationError);
    expect(() => createPaymentDeps('refund-payment', { STRIPE_SECRET_ARN: 'arn:stripe', PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: 'x' })).toThrow(
      /PARAMETERS_SECRETS_EXTENSION_HTTP_PORT/,
    );
  });
});
