import { SagaError, SagaErrors, isSagaError } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import { describe, expect, it, vi } from 'vitest';
import { PERSONAL_DATA, input } from '../test/fixtures.js';
import { bookShipment, bookingRequest, shipmentIdempotencyKey, type BookShipmentDeps } from './book-shipment.js';
import type { BookShipmentConfig } from './config.js';

const shipment = { shipmentId: 'shp_0001', carrier: 'StubParcel', trackingNumber: 'TRK000000000000001', status: 'booked' };

type FakeFetch = (url: URL, init: RequestInit) => Promise<Response>;

function setup(fake: FakeFetch, config: Partial<BookShipmentConfig> = {}) {
  const fetch = vi.fn(fake);
  const logger = recordingLogger();
  const deps: BookShipmentDeps = {
    config: { carrierApiUrl: new URL('https://carrier.test/api'), timeoutMs: 50, ...config },
    fetch: fetch as unknown as typeof globalThis.fetch,
    logger,
  };
  return { deps, fetch, logger };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const text = (status: number, body: string) => async () => new Response(body, { status });

/** Runs the use case and returns the SagaError it throws. */
async function failure(deps: BookShipmentDeps, ...value: [unknown?]): Promise<SagaError> {
  try {
    await bookShipment(value.length > 0 ? value[0] : input(), deps);
  } catch (error) {
    expect(error).toBeInstanceOf(SagaError);
    return error as SagaError;
  }
  throw new Error('expected bookShipment to throw');
}

/** A fetch that never answers until its signal aborts, then rejects as undici does. */
const hang: FakeFetch = (_url, init) =>
  new Promise((_resolve, reject) => {
    init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
  });

describe('bookShipment: success', () => {
  it('POSTs the booking with the idempotency key and returns the contract output', async () => {
    const { deps, fetch } = setup(json(201, shipment));
    await expect(bookShipment(input(), deps)).resolves.toEqual({ shipmentId: 'shp_0001', carrier: 'StubParcel', trackingNumber: 'TRK000000000000001' });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] as [URL, RequestInit];
    expect(String(url)).toBe('https://carrier.test/api/v1/shipments');
    expect(init.method).toBe('POST');
    expect(init.redirect).toBe('manual');
    expect(init.signal).toBeInstanceOf(AbortSignal);
    expect(init.headers).toEqual({
      'content-type': 'application/json',
      accept: 'application/json',
      'idempotency-key': 'ord-2026-0001:shipment:v1',
    });
    expect(JSON.parse(init.body as string)).toEqual(bookingRequest(input()));
  });

  it('sends the API key as a bearer token when configured', async () => {
    const { deps, fetch } = setup(json(201, shipment), { apiKey: 'carrier-key-1' });
    await bookShipment(input(), deps);
    expect((fetch.mock.calls[0]?.[1].headers as Record<string, string>)['authorization']).toBe('Bearer carrier-key-1');
  });

  it('accepts any 2xx, drops extra fields and logs a replay', async () => {
    const { deps, logger } = setup(json(200, { ...shipment, eta: '2026-11-25', labelUrl: 'https://x' }, { 'idempotent-replayed': 'true' }));
    await expect(bookShipment(input(), deps)).resolves.toEqual({ shipmentId: 'shp_0001', carrier: 'StubParcel', trackingNumber: 'TRK000000000000001' });
    expect(logger.entries).toEqual([
      {
        level: 'info',
        message: 'shipment booked',
        attributes: expect.objectContaining({ orderId: 'ord-2026-0001', step: 'BookShipment', outcome: 'booked', shipmentId: 'shp_0001', httpStatus: 200, replayed: true }),
      },
    ]);
  });

  it('accepts a booking without a status field', async () => {
    const { status: _s, ...withoutStatus } = shipment;
    const { deps } = setup(json(201, withoutStatus));
    await expect(bookShipment(input(), deps)).resolves.toMatchObject({ shipmentId: 'shp_0001' });
  });
});

describe('bookShipment: error mapping', () => {
  it('maps 429 to CarrierRateLimited with the Retry-After', async () => {
    const { deps } = setup(json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'retry-after': '3' }));
    const error = await failure(deps);
    expect(error.name).toBe('CarrierRateLimited');
    expect(error.message).toBe('carrier answered 429 (rate_limited); retry after 3 s; nothing was booked');
    expect(error.retriable).toBe(true);
  });

  it.each([500, 502, 503, 504, 599])('maps %i to CarrierUnavailable', async (status) => {
    const { deps } = setup(json(status, { error: { code: 'service_unavailable' } }));
    const error = await failure(deps);
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toContain(`carrier answered ${status} (service_unavailable)`);
    expect(error.retriable).toBe(true);
  });

  it('maps a 503 with an unreadable body to CarrierUnavailable', async () => {
    const { deps } = setup(text(503, '<html>Service Unavailable</html>'));
    expect((await failure(deps)).message).toBe('carrier answered 503; retry with key ord-2026-0001:shipment:v1');
  });

  it.each([400, 401, 403, 404, 405, 410, 413, 422, 451])('maps %i to CarrierRejected', async (status) => {
    const { deps } = setup(json(status, { error: { code: 'address_rejected' } }));
    const error = await failure(deps);
    expect(error.name).toBe('CarrierRejected');
    expect(error.message).toBe(`carrier rejected the shipment: ${status} (address_rejected)`);
    expect(error.disposition).toBe('compensate');
  });

  it.each([
    ['409', json(409, { error: { code: 'conflict' } })],
    ['422 idempotency_key_reused', json(422, { error: { code: 'idempotency_key_reused' } })],
  ])('maps an idempotency conflict (%s) to CarrierResponseInvalid: a booking may exist', async (_label, fake) => {
    const { deps } = setup(fake);
    const error = await failure(deps);
    expect(error.name).toBe('CarrierResponseInvalid');
    expect(error.message).toContain('a booking may already exist under key ord-2026-0001:shipment:v1');
    expect(error.disposition).toBe('escalate');
  });

  it.each([
    ['an HTML page', text(200, '<html><body>Maintenance</body></html>'), 'a body that is not JSON'],
    ['an empty body', text(200, ''), 'an empty body'],
    ['cut-off JSON', text(200, '{"shipmentId":"shp_1","car'), 'a body that is not JSON'],
    ['JSON without trackingNumber', json(200, { shipmentId: 'shp_1', carrier: 'StubParcel', status: 'booked' }), 'trackingNumber invalid_type'],
    ['a numeric shipment id', json(200, { ...shipment, shipmentId: 42 }), 'shipmentId invalid_type'],
    ['an id with spaces', json(200, { ...shipment, trackingNumber: 'TRK 1' }), 'trackingNumber invalid_format'],
    ['a JSON array', json(200, [shipment]), '(root) invalid_type'],
    ['JSON null', json(200, null), '(root) invalid_type'],
    ['status pending', json(201, { ...shipment, status: 'pending' }), 'status pending instead of booked'],
    ['a 204', async () => new Response(null, { status: 204 }), 'an empty body'],
  ])('maps a 2xx with %s to CarrierResponseInvalid, never success', async (_label, fake, what) => {
    const { deps } = setup(fake);
    const error = await failure(deps);
    expect(error.name).toBe('CarrierResponseInvalid');
    expect(error.message).toContain(what);
    expect(error.message).toContain('the shipment may or may not be booked under key ord-2026-0001:shipment:v1');
    expect(error.retriable).toBe(false);
    expect(error.disposition).toBe('escalate');
  });

  it('maps a 3xx to CarrierResponseInvalid', async () => {
    const { deps } = setup(async () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.test' } }));
    const error = await failure(deps);
    expect(error.name).toBe('CarrierResponseInvalid');
    expect(error.message).toContain('unexpected 302');
  });

  it('maps a timeout to CarrierUnavailable (retriable: the idempotency key makes the retry safe)', async () => {
    const { deps, logger } = setup(hang, { timeoutMs: 30 });
    const error = await failure(deps);
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toBe('carrier did not answer within 30 ms; a booking may exist: retry with the same key ord-2026-0001:shipment:v1');
    expect(error.retriable).toBe(true);
    expect(SagaErrors[error.name as 'CarrierUnavailable'].onFailure).toBe('escalate');
    expect(logger.entries.at(-1)?.attributes).toMatchObject({ errorName: 'CarrierUnavailable', timeoutMs: 30 });
  });

  it('maps a body that stalls past the timeout after a 200 to CarrierUnavailable', async () => {
    const { deps } = setup(
      async (_url, init) =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"shipmentId":'));
              init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
            },
          }),
          { status: 200 },
        ),
      { timeoutMs: 30 },
    );
    const error = await failure(deps);
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toContain('did not answer within 30 ms');
  });

  it.each([
    ['ECONNREFUSED', new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) })],
    ['UND_ERR_SOCKET', new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) })],
    ['ENOTFOUND', Object.assign(new Error('getaddrinfo ENOTFOUND carrier.test'), { code: 'ENOTFOUND' })],
  ])('maps a network error (%s) to CarrierUnavailable', async (code, thrown) => {
    const { deps } = setup(async () => {
      throw thrown;
    });
    const error = await failure(deps);
    expect(error.name).toBe('CarrierUnavailable');
    expect(error.message).toBe(`carrier unreachable (${code}); retry with the same key ord-2026-0001:shipment:v1`);
    expect(error.cause).toBe(thrown);
  });

  it('maps a network error without a code to CarrierUnavailable', async () => {
    const { deps } = setup(async () => {
      throw new TypeError('fetch failed');
    });
    expect((await failure(deps)).message).toBe('carrier unreachable; retry with the same key ord-2026-0001:shipment:v1');
  });

  it('names every error from the taxonomy, for BookShipment', async () => {
    const fakes = [json(429, {}), json(503, {}), json(400, {}), text(200, 'x'), hang];
    for (const fake of fakes) {
      const { deps } = setup(fake, { timeoutMs: 20 });
      const error = await failure(deps);
      expect(isSagaError(error)).toBe(true);
      expect(SagaErrors[error.name].steps).toContain('BookShipment');
    }
  });
});

describe('bookShipment: input validation', () => {
  it.each([
    ['nothing', undefined],
    ['an order without reservation', { order: input().order }],
    ['a reservation without lines', { ...input(), reservation: { reservationId: 'r1', lines: [] } }],
    ['an order with an unknown field', { ...input(), order: { ...input().order, vip: true } }],
    ['a bad postal code', { ...input(), order: { ...input().order, customer: { ...input().order.customer, shippingAddress: { ...input().order.customer.shippingAddress, postalCode: '!!' } } } }],
  ])('rejects %s with InvalidOrder before calling the carrier', async (_label, value) => {
    const { deps, fetch } = setup(json(201, shipment));
    const error = await failure(deps, value);
    expect(error.name).toBe('InvalidOrder');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('accepts the whole saga state (extra slots are ignored)', async () => {
    const { deps } = setup(json(201, shipment));
    const state = { ...input(), payment: { paymentIntentId: 'pi_1', amount: 6500, currency: 'gbp', status: 'captured' } };
    await expect(bookShipment(state, deps)).resolves.toMatchObject({ shipmentId: 'shp_0001' });
  });
});

describe('bookShipment: personal data', () => {
  it('keeps personal data out of logs and error messages, even when the carrier echoes it', async () => {
    const echo = json(400, { error: { code: 'address_rejected', message: 'Cannot deliver to Ada Lovelace, 12 Analytical Row, London N1 9GU' } });
    for (const fake of [json(201, shipment), echo, json(429, {}), text(200, 'Ada Lovelace'), hang]) {
      const { deps, logger } = setup(fake, { timeoutMs: 20 });
      const error = await bookShipment(input(), deps).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      const exposed = JSON.stringify(logger.entries) + (error ? `${error.name} ${error.message}` : '');
      for (const value of PERSONAL_DATA) expect(exposed).not.toContain(value);
    }
  });

  it('sends the carrier the label data only: no email, no phone', () => {
    const body = JSON.stringify(bookingRequest(input()));
    expect(body).not.toContain('ada.lovelace@example.com');
    expect(body).not.toContain('+447700900123');
    expect(body).not.toContain('pm_card_visa');
  });
});

describe('bookingRequest / shipmentIdempotencyKey', () => {
  it('is deterministic in the order and the reserved lines', () => {
    const a = bookingRequest(input());
    const reordered = input();
    reordered.reservation.lines.reverse();
    reordered.reservation.reservationId = 'res_other';
    expect(bookingRequest(reordered)).toEqual(a);
    expect(a).toEqual({
      orderId: 'ord-2026-0001',
      address: { name: 'Ada Lovelace', line1: '12 Analytical Row', line2: 'Flat 3', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
      parcels: [
        {
          reference: 'ord-2026-0001-1',
          items: [
            { sku: 'BOOK-001', quantity: 2 },
            { sku: 'BOOK-002', quantity: 1 },
          ],
        },
      ],
    });
  });

  it('leaves line2 out when absent', () => {
    const value = input();
    delete value.order.customer.shippingAddress.line2;
    expect(bookingRequest(value).address).not.toHaveProperty('line2');
  });

  it('keys the booking by order', () => {
    expect(shipmentIdempotencyKey('ord-1')).toBe('ord-1:shipment:v1');
  });
});
