import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CarrierStub, carrierFault, startCarrierStub, type CarrierShipment } from './carrier-stub.js';

const body = (orderId = 'ord-1', extra: Record<string, unknown> = {}) => ({
  orderId,
  address: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  parcels: [{ items: [{ sku: 'BOOK-001', quantity: 1 }] }],
  ...extra,
});

describe('CarrierStub', () => {
  let stub: CarrierStub;
  let url: string;

  beforeEach(async () => {
    stub = new CarrierStub();
    ({ url } = await stub.start());
  });
  afterEach(async () => {
    await stub.close();
  });

  const book = (payload: unknown = body(), key: string | null = 'ord-1:shipment:v1', init: RequestInit = {}) =>
    fetch(`${url}/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
      body: JSON.stringify(payload),
      ...init,
    });

  it('books a shipment and serves it back', async () => {
    const res = await book();
    expect(res.status).toBe(201);
    const shipment = (await res.json()) as CarrierShipment;
    expect(shipment).toMatchObject({ carrier: 'StubParcel', status: 'booked', orderId: 'ord-1' });
    expect(shipment.shipmentId).toMatch(/^shp_[0-9a-f]{16}$/);
    expect(shipment.trackingNumber).toMatch(/^TRK\d{15}$/);
    const got = await fetch(`${url}/v1/shipments/${shipment.shipmentId}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(shipment);
    expect((await fetch(`${url}/v1/shipments/shp_nope`)).status).toBe(404);
  });

  it('replays the same shipment for the same key and books once', async () => {
    const first = (await (await book()).json()) as CarrierShipment;
    const again = await book({ ...body(), parcels: body().parcels }); // same content, same key
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(first);
    expect(stub.bookings()).toHaveLength(1);
    expect(stub.bookings()[0]).toMatchObject({ idempotencyKey: 'ord-1:shipment:v1', orderId: 'ord-1', shipment: first });
  });

  it('compares bodies regardless of key order', async () => {
    await book();
    const reordered = { parcels: body().parcels, address: body().address, orderId: 'ord-1' };
    expect((await book(reordered)).status).toBe(200);
  });

  it('answers 422 for the same key with a different body', async () => {
    await book();
    const res = await book(body('ord-1', { parcels: [{ items: [{ sku: 'OTHER', quantity: 2 }] }] }));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: expect.objectContaining({ code: 'idempotency_key_reused' }) });
    expect(stub.bookings()).toHaveLength(1);
  });

  it('requires an idempotency key and a well-formed body', async () => {
    const noKey = await book(body(), null);
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_required');
    expect((await book({ orderId: 'x' })).status).toBe(400);
    expect((await book({ ...body(), parcels: [] })).status).toBe(400);
    const notJson = await fetch(`${url}/v1/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(stub.bookings()).toHaveLength(0);
  });

  it('plays a script in order: 429, 429, ok', async () => {
    stub.script([429, 429, 'ok']);
    const first = await book();
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toEqual({ error: expect.objectContaining({ code: 'rate_limited' }) });
    expect((await book()).status).toBe(429);
    expect((await book()).status).toBe(201);
    expect(stub.bookings()).toHaveLength(1);
    expect(stub.requests().map((r) => r.outcome)).toEqual([429, 429, 201]);
    expect(stub.requests()[0]?.fault).toEqual({ kind: 'status', status: 429 });
  });

  it('scripts 503 and a 400 address rejection without booking', async () => {
    stub.script([503, { kind: 'status', status: 400, code: 'address_rejected' }, { kind: 'status', status: 429, retryAfterSeconds: 7 }]);
    expect((await book()).status).toBe(503);
    const rejected = await book();
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({ error: expect.objectContaining({ code: 'address_rejected' }) });
    expect((await book()).headers.get('retry-after')).toBe('7');
    expect(stub.bookings()).toHaveLength(0);
  });

  it('gives parallel orders their own faults', async () => {
    stub.scriptFor('ord-a', [503]).scriptFor('ord-b', [{ kind: 'status', status: 400 }]);
    const [a, b, c] = await Promise.all([
      book(body('ord-a'), 'ord-a:shipment:v1'),
      book(body('ord-b'), 'ord-b:shipment:v1'),
      book(body('ord-c'), 'ord-c:shipment:v1'),
    ]);
    expect([a.status, b.status, c.status]).toEqual([503, 400, 201]);
    expect((await book(body('ord-a'), 'ord-a:shipment:v1')).status).toBe(201);
    expect(stub.bookings().map((x) => x.orderId).sort()).toEqual(['ord-a', 'ord-c']);
  });

  it('per-order scripts come before the global one, which comes before `always`', async () => {
    stub.always(503).script([429]).scriptFor('ord-1', [400]);
    expect((await book()).status).toBe(400);
    expect((await book()).status).toBe(429);
    expect((await book()).status).toBe(503);
    expect((await book()).status).toBe(503);
    stub.always(undefined);
    expect((await book()).status).toBe(201);
  });

  it.each([
    ['not-json', (text: string) => expect(() => JSON.parse(text)).toThrow()],
    ['missing-fields', (text: string) => expect(JSON.parse(text)).not.toHaveProperty('trackingNumber')],
    ['truncated', (text: string) => expect(() => JSON.parse(text)).toThrow()],
    ['empty', (text: string) => expect(text).toBe('')],
  ] as const)('answers a malformed 200 (%s) and books behind it', async (variant, check) => {
    stub.script([{ kind: 'malformed', variant }]);
    const res = await book();
    expect(res.status).toBe(200);
    check(await res.text());
    expect(stub.bookings()).toHaveLength(1);
    // A retry with the same key reads the booking made behind the malformed answer.
    const replay = await book();
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as CarrierShipment).shipmentId).toBe(stub.bookings()[0]?.shipment.shipmentId);
  });

  it('can answer malformed without booking', async () => {
    stub.script([{ kind: 'malformed', book: false }]);
    expect((await book()).status).toBe(200);
    expect(stub.bookings()).toHaveLength(0);
  });

  it('delays a slow answer, then books', async () => {
    stub.script([{ kind: 'slow', delayMs: 150 }]);
    const started = Date.now();
    const res = await book();
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('honours a client that gives up on a slow answer: nothing is booked', async () => {
    stub.script([{ kind: 'slow', delayMs: 2_000 }]);
    await expect(book(body(), 'ord-1:shipment:v1', { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.requests()[0]?.outcome).toBe('aborted');
    expect(stub.bookings()).toHaveLength(0);
  });

  it('slow with bookFirst books even when the client gives up, and the retry replays it', async () => {
    stub.script([{ kind: 'slow', delayMs: 2_000, bookFirst: true }]);
    await expect(book(body(), 'ord-1:shipment:v1', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(stub.bookings()).toHaveLength(1);
    const retry = await book();
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as CarrierShipment).shipmentId).toBe(stub.bookings()[0]?.shipment.shipmentId);
  });

  it('drops the connection without an answer', async () => {
    stub.script(['drop']);
    await expect(book()).rejects.toThrow(/fetch failed/);
    expect(stub.requests()[0]?.outcome).toBe('dropped');
    expect(stub.bookings()).toHaveLength(0);
    expect((await book()).status).toBe(201);
  });

  it('closes promptly with a slow answer pending', async () => {
    stub.script([{ kind: 'slow', delayMs: 60_000 }]);
    const pending = book().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await stub.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('requires the API key when configured', async () => {
    const keyed = new CarrierStub({ apiKey: 'sekret' });
    const { url: keyedUrl, close } = await keyed.start();
    try {
      const send = (auth?: string) =>
        fetch(`${keyedUrl}/v1/shipments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': 'k', ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify(body()),
        });
      expect((await send()).status).toBe(401);
      expect((await send('Bearer wrong')).status).toBe(401);
      expect((await send('Bearer sekret')).status).toBe(201);
    } finally {
      await close();
    }
  });

  it('logs requests with headers and raw body', async () => {
    await book();
    const [log] = stub.requests();
    expect(log).toMatchObject({ method: 'POST', path: '/v1/shipments', orderId: 'ord-1', idempotencyKey: 'ord-1:shipment:v1', outcome: 201 });
    expect(log?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(log?.body ?? '')).toEqual(body());
  });

  describe('admin endpoint', () => {
    const admin = (path: string, init: RequestInit = {}) => fetch(`${url}/__admin/${path}`, init);
    const post = (path: string, payload: unknown) =>
      admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

    it('scripts faults globally, per order and always', async () => {
      expect((await post('faults', { script: [429, 'ok'] })).status).toBe(200);
      expect((await post('faults', { orderId: 'ord-9', script: [{ kind: 'status', status: 400 }] })).status).toBe(200);
      const pending = await (await post('faults', { always: 503 })).json();
      expect(pending).toEqual({
        global: [{ kind: 'status', status: 429 }, { kind: 'ok' }],
        byOrder: { 'ord-9': [{ kind: 'status', status: 400 }] },
        always: { kind: 'status', status: 503 },
      });
      expect((await book(body('ord-9'), 'k9')).status).toBe(400);
      expect((await book()).status).toBe(429);
      expect((await book()).status).toBe(201);
      expect((await book(body('ord-2'), 'k2')).status).toBe(503);
      await post('faults', { always: null });
      expect((await book(body('ord-2'), 'k2')).status).toBe(201);
    });

    it('clears faults, lists requests and bookings, resets', async () => {
      await post('faults', { script: [503] });
      expect((await admin('faults', { method: 'DELETE' })).status).toBe(200);
      expect((await book()).status).toBe(201);
      const requests = (await (await admin('requests')).json()) as unknown[];
      expect(requests).toHaveLength(1); // admin calls are not logged
      const bookings = (await (await admin('bookings')).json()) as Array<{ orderId: string }>;
      expect(bookings.map((b) => b.orderId)).toEqual(['ord-1']);
      await post('reset', {});
      expect(stub.bookings()).toEqual([]);
      expect(stub.requests()).toEqual([]);
    });

    it('rejects unreadable fault specs with 400', async () => {
      expect((await post('faults', { script: [{ kind: 'explode' }] })).status).toBe(400);
      expect((await post('faults', { script: 'nope' })).status).toBe(400);
      expect((await post('faults', { script: [42] })).status).toBe(400);
      expect((await admin('faults', { method: 'POST', body: '{' })).status).toBe(400);
    });
  });
});

describe('carrierFault', () => {
  it('normalises shorthands', () => {
    expect(carrierFault('ok')).toEqual({ kind: 'ok' });
    expect(carrierFault(429)).toEqual({ kind: 'status', status: 429 });
    expect(carrierFault('malformed')).toEqual({ kind: 'malformed' });
    expect(carrierFault('drop')).toEqual({ kind: 'drop' });
    expect(carrierFault({ kind: 'slow', delayMs: 5, then: 503 })).toEqual({
      kind: 'slow',
      delayMs: 5,
      then: { kind: 'status', status: 503 },
    });
    expect(() => carrierFault(1_000)).toThrow(/invalid HTTP status/);
    expect(() => carrierFault({ kind: 'slow', delayMs: -1 })).toThrow(/delayMs/);
  });
});

describe('startCarrierStub', () => {
  it('returns a started stub with url, port and close', async () => {
    const stub = await startCarrierStub({ carrier: 'Acme' });
    try {
      expect(stub.url).toBe(`http://127.0.0.1:${stub.port}`);
      const res = await fetch(`${stub.url}/v1/shipments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
        body: JSON.stringify(body()),
      });
      expect(((await res.json()) as CarrierShipment).carrier).toBe('Acme');
    } finally {
      await stub.close();
    }
    expect(() => stub.url).toThrow(/not started/);
  });
});
