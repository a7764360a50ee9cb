import { CarrierStub } from '@saga/testkit';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PERSONAL_DATA, input } from './fixtures.js';

// The deployed entry point: configuration from the environment at import (cold start), the Powertools
// logger writing JSON lines, the global fetch against the carrier stub.

describe('handler.ts', () => {
  let carrier: CarrierStub;
  const written: string[] = [];

  beforeAll(async () => {
    carrier = new CarrierStub();
    const { url } = await carrier.start();
    vi.stubEnv('CARRIER_API_URL', url);
    vi.stubEnv('CARRIER_TIMEOUT_MS', '500');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    // Powertools writes INFO to stdout and WARN/ERROR to stderr.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await carrier.close();
  });

  it('books through the deployed entry point and logs structured, PII-free lines', async () => {
    const { handler } = await import('../src/handler.js');
    const context = { functionName: 'book-shipment', awsRequestId: 'req-42', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:book-shipment' } as Context;
    const output = await handler(input(), context);
    expect(output.shipmentId).toBe(carrier.bookings()[0]?.shipment.shipmentId);

    carrier.script([{ kind: 'status', status: 400, code: 'address_rejected' }]);
    await expect(handler(input('ord-2026-0002'), context)).rejects.toMatchObject({ name: 'CarrierRejected' });

    const lines = written.join('').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', service: 'book-shipment', message: 'shipment booked', orderId: 'ord-2026-0001', outcome: 'booked', function_request_id: 'req-42' }),
      expect.objectContaining({ level: 'WARN', message: 'shipment not booked', orderId: 'ord-2026-0002', errorName: 'CarrierRejected', httpStatus: 400, carrierCode: 'address_rejected' }),
    ]);
    for (const value of PERSONAL_DATA) expect(written.join('')).not.toContain(value);
  });
});
