import { recordingLogger } from '@saga/lambda-kit/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { input } from '../test/fixtures.js';
import { createHandler, defaultDeps } from './create-handler.js';

const shipment = { shipmentId: 'shp_1', carrier: 'StubParcel', trackingNumber: 'TRK1', status: 'booked' };

describe('createHandler', () => {
  it('adds the Lambda context to the logger and books', async () => {
    const logger = recordingLogger();
    const handler = createHandler({
      config: { carrierApiUrl: new URL('https://carrier.test'), timeoutMs: 1_000 },
      fetch: (async () => new Response(JSON.stringify(shipment), { status: 201 })) as typeof fetch,
      logger,
    });
    const context = { functionName: 'book-shipment', awsRequestId: 'req-1' } as Context;
    await expect(handler(input(), context)).resolves.toEqual({ shipmentId: 'shp_1', carrier: 'StubParcel', trackingNumber: 'TRK1' });
    expect(logger.contexts).toEqual([context]);
  });

  it('throws InvalidOrder from the handler on a bad event', async () => {
    const handler = createHandler({
      config: { carrierApiUrl: new URL('https://carrier.test'), timeoutMs: 1_000 },
      fetch: (async () => {
        throw new Error('not called');
      }) as typeof fetch,
      logger: recordingLogger(),
    });
    await expect(handler({ hello: 'world' })).rejects.toMatchObject({ name: 'InvalidOrder' });
  });
});

describe('defaultDeps', () => {
  it('builds the production deps from the environment', () => {
    const deps = defaultDeps({ CARRIER_API_URL: 'https://carrier.test', CARRIER_TIMEOUT_MS: '3000' });
    expect(deps.config.timeoutMs).toBe(3000);
    expect(deps.fetch).toBe(globalThis.fetch);
    expect(typeof deps.logger.addContext).toBe('function');
  });

  it('fails at cold start with a precise message', () => {
    expect(() => defaultDeps({})).toThrow(/^book-shipment configuration: CARRIER_API_URL is not set/);
  });
});
