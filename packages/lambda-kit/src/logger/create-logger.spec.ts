import { SagaError } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, piiSafeReplacer, REDACTED } from './create-logger.js';

/** Runs `fn` with stdout and stderr (warn, error) captured; returns the JSON lines written. */
function captured(fn: () => void): Array<Record<string, unknown>> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array): boolean => {
    lines.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createLogger', () => {
  it('writes Powertools JSON lines for the service, with the Lambda context', () => {
    const logger = createLogger('reserve-stock');
    logger.addContext({ functionName: 'reserve-stock', awsRequestId: 'req-1', memoryLimitInMB: '128', invokedFunctionArn: 'arn' } as unknown as Context);
    const [record] = captured(() => logger.info('stock reserved', { orderId: 'ord-1', outcome: 'reserved' }));
    expect(record).toMatchObject({
      level: 'INFO',
      service: 'reserve-stock',
      message: 'stock reserved',
      orderId: 'ord-1',
      outcome: 'reserved',
      function_request_id: 'req-1',
    });
  });

  it('redacts personal data and reduces foreign errors to their name, code and status', () => {
    const logger = createLogger('svc');
    const customer = { id: 'cus_1', name: 'Ada Lovelace', email: 'ada@example.com', shippingAddress: { line1: '12 Analytical Row', postalCode: 'N1 9GU' } };
    const foreign = Object.assign(new Error('Item {"email":"ada@example.com"} not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const records = captured(() => {
      logger.warn('oops', { orderId: 'o1', customer, nested: { email: 'ada@example.com', phone: '+447700900123' } });
      logger.error('failed', foreign);
    });
    const text = JSON.stringify(records);
    for (const value of ['Ada Lovelace', 'ada@example.com', '12 Analytical Row', 'N1 9GU', '+447700900123']) expect(text).not.toContain(value);
    expect(records[0]).toMatchObject({ orderId: 'o1', customer: REDACTED, nested: { email: REDACTED, phone: REDACTED } });
    expect(records[1]).toMatchObject({ error: { name: 'ResourceNotFoundException', description: 'ResourceNotFoundException (HTTP 400)' } });
  });
});

describe('piiSafeReplacer', () => {
  it('keeps ordinary values, including error names and saga error messages', () => {
    expect(piiSafeReplacer('orderId', 'ord-1')).toBe('ord-1');
    expect(piiSafeReplacer('name', 'ThrottlingException')).toBe('ThrottlingException');
    expect(piiSafeReplacer('email', undefined)).toBeUndefined();
    expect(piiSafeReplacer('error', new SagaError('OutOfStock', 'Not enough stock for SKU SKU-A'))).toEqual({
      name: 'OutOfStock',
      message: 'Not enough stock for SKU SKU-A',
      retriable: false,
    });
  });
});
