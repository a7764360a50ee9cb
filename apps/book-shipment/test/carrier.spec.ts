import { SagaError } from '@saga/contracts';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { CarrierStub } from '@saga/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bookShipment, bookingRequest, type BookShipmentDeps } from '../src/book-shipment.js';
import { parseBookShipmentConfig } from '../src/config.js';
import { PERSONAL_DATA, input } from './fixtures.js';

// Integration: the real `fetch` against the carrier stub over HTTP.

describe('bookShipment against the carrier stub', () => {
  let carrier: CarrierStub;
  let url: string;

  beforeEach(async () => {
    carrier = new CarrierStub();
    ({ url } = await carrier.start());
  });
  afterEach(async () => {
    await carrier.close();
  });

  const deps = (env: Record<string, string> = {}): BookShipmentDeps & { logger: RecordingLogger } => ({
    config: parseBookShipmentConfig({ CARRIER_API_URL: url, CARRIER_TIMEOUT_MS: '400', ...env }),
    fetch: globalThis.fetch,
    logger: recordingLogger(),
  });

  const errorOf = (promise: Promise<unknown>): Promise<SagaError> =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(SagaError);
        return error as SagaError;
      },
    );

  it('books once with the order key and returns the shipment', async () => {
    const output = await bookShipment(input(), deps());
    const [booking] = carrier.bookings();
    expect(carrier.bookings()).toHaveLength(1);
    expect(booking?.idempotencyKey).toBe('ord-2026-0001:shipment:v1');
    expect(output).toEqual({ shipmentId: booking?.shipment.shipmentId, carrier: 'StubParcel', trackingNumber: booking?.shipment.trackingNumber });
    expect(booking?.request).toEqual(bookingRequest(input()));
    const [request] = carrier.requests();
    expect(request?.headers['idempotency-key']).toBe('ord-2026-0001:shipment:v1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers).not.toHaveProperty('authorization');
  });

  it('is idempotent: a retried invocation returns the same shipment and books nothing more', async () => {
    const first = await bookShipment(input(), deps());
    const d = deps();
    const second = await bookShipment(input(), d);
    expect(second).toEqual(first);
    expect(carrier.bookings()).toHaveLength(1);
    expect(d.logger.entries[0]?.attributes).toMatchObject({ replayed: true, httpStatus: 200 });
  });

  it('rate limited twice, then booked: what the Retry block sees', async () => {
    carrier.script([429, 429, 'ok']);
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      outcomes.push(await bookShipment(input(), deps()).then((s) => `booked ${s.shipmentId}`, (e: Error) => e.name));
    }
    expect(outcomes).toEqual(['CarrierRateLimited', 'CarrierRateLimited', `booked ${carrier.bookings()[0]?.shipment.shipmentId}`]);
    expect(carrier.bookings()).toHaveLength(1);
  });

  it.each([
    [503, 'CarrierUnavailable'],
    [500, 'CarrierUnavailable'],
    [400, 'CarrierRejected'],
    [404, 'CarrierRejected'],
  ])('maps a scripted %i to %s without booking', async (status, name) => {
    carrier.script([status]);
    expect((await errorOf(bookShipment(input(), deps()))).name).toBe(name);
    expect(carrier.bookings()).toHaveLength(0);
  });

  it.each(['not-json', 'missing-fields', 'truncated', 'empty'] as const)(
    'maps a malformed 200 (%s) to CarrierResponseInvalid; a later retry finds the booking made behind it',
    async (variant) => {
      carrier.script([{ kind: 'malformed', variant }]);
      const error = await errorOf(bookShipment(input(), deps()));
      expect(error.name).toBe('CarrierResponseInvalid');
      expect(error.disposition).toBe('escalate');
      // The human reviewer chooses "retry": the same key reads the shipment that was booked.
      const output = await bookShipment(input(), deps());
      expect(carrier.bookings()).toHaveLength(1);
      expect(output.shipmentId).toBe(carrier.bookings()[0]?.shipment.shipmentId);
    },
  );

  it('gives up on a slow carrier after CARRIER_TIMEOUT_MS: CarrierUnavailable, nothing booked', async () => {
    carrier.script([{ kind: 'slow', delayMs: 5_000 }]);
    const started = Date.now();
    const error = await errorOf(bookShipment(input(), deps({ CARRIER_TIMEOUT_MS: '300' })));
    const elapsed = Date.now() - started;
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toContain('did not answer within 300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    await vi.waitFor(() => expect(carrier.requests()[0]?.outcome).toBe('aborted'));
    expect(carrier.bookings()).toHaveLength(0);
  });

  it('a carrier that books and then answers too late: the retry replays the booking, never books twice', async () => {
    carrier.script([{ kind: 'slow', delayMs: 5_000, bookFirst: true }]);
    expect((await errorOf(bookShipment(input(), deps({ CARRIER_TIMEOUT_MS: '200' })))).name).toBe('CarrierUnavailable');
    expect(carrier.bookings()).toHaveLength(1);
    const output = await bookShipment(input(), deps());
    expect(output.shipmentId).toBe(carrier.bookings()[0]?.shipment.shipmentId);
    expect(carrier.bookings()).toHaveLength(1);
  });

  it('waits for a slow carrier within the timeout', async () => {
    carrier.script([{ kind: 'slow', delayMs: 100 }]);
    await expect(bookShipment(input(), deps({ CARRIER_TIMEOUT_MS: '2000' }))).resolves.toMatchObject({ carrier: 'StubParcel' });
  });

  it('maps a dropped connection to CarrierUnavailable', async () => {
    carrier.script(['drop']);
    const error = await errorOf(bookShipment(input(), deps()));
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toMatch(/^carrier unreachable/);
  });

  it('maps a refused connection to CarrierUnavailable (ECONNREFUSED)', async () => {
    const d = deps();
    await carrier.close();
    const error = await errorOf(bookShipment(input(), d));
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('gives parallel orders their own faults', async () => {
    carrier.scriptFor('ord-a', [503]).scriptFor('ord-b', [{ kind: 'status', status: 400, code: 'address_rejected' }]);
    const results = await Promise.all(
      ['ord-a', 'ord-b', 'ord-c'].map((id) => bookShipment(input(id), deps()).then((s) => s.carrier, (e: Error) => e.name)),
    );
    expect(results).toEqual(['CarrierUnavailable', 'CarrierRejected', 'StubParcel']);
    expect(carrier.bookings().map((b) => b.idempotencyKey)).toEqual(['ord-c:shipment:v1']);
  });

  it('keeps personal data out of logs and errors while the carrier fails in every way', async () => {
    carrier.script([429, 503, 400, 'malformed', 'drop', { kind: 'slow', delayMs: 2_000 }, 'ok']);
    const exposed: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const d = deps({ CARRIER_TIMEOUT_MS: '200' });
      await bookShipment(input(), d).catch((e: Error) => exposed.push(`${e.name}: ${e.message}`));
      exposed.push(JSON.stringify(d.logger.entries));
    }
    const text = exposed.join('\n');
    for (const value of PERSONAL_DATA) expect(text).not.toContain(value);
  });
});

describe('bookShipment with a carrier API key', () => {
  it('sends the key; a wrong key is a rejection', async () => {
    const carrier = new CarrierStub({ apiKey: 'carrier-secret' });
    const { url, close } = await carrier.start();
    try {
      const make = (key: string): BookShipmentDeps => ({
        config: parseBookShipmentConfig({ CARRIER_API_URL: url, CARRIER_API_KEY: key }),
        fetch: globalThis.fetch,
        logger: recordingLogger(),
      });
      await expect(bookShipment(input(), make('wrong'))).rejects.toMatchObject({ name: 'CarrierRejected', message: 'carrier rejected the shipment: 401 (unauthorized)' });
      await expect(bookShipment(input(), make('carrier-secret'))).resolves.toMatchObject({ carrier: 'StubParcel' });
      expect(carrier.requests().at(-1)?.headers['authorization']).toBe('Bearer carrier-secret');
    } finally {
      await close();
    }
  });
});
