/**
 * A local carrier HTTP API for tests and the local run.
 *
 * Routes:
 * - `POST /v1/shipments` with a JSON body `{ orderId, address, parcels }` and an `Idempotency-Key` header.
 *   The same key returns the same shipment (`Idempotent-Replayed: true`); the same key with a different
 *   body answers 422 `idempotency_key_reused`. Answers 201 `{ shipmentId, carrier, trackingNumber, status: 'booked', orderId }`.
 * - `GET /v1/shipments/:id`: the shipment, or 404.
 * - Admin (for other processes): `POST /__admin/faults` (`{ script: [...] }`, `{ orderId, script: [...] }` or
 *   `{ always: fault }`), `DELETE /__admin/faults`, `GET /__admin/requests`, `GET /__admin/bookings`, `POST /__admin/reset`.
 *
 * Faults apply to `POST /v1/shipments` only. For each such request the stub takes, in order: the next
 * entry of the request's per-order script, else the next entry of the global script, else the
 * `always` fault, else a normal booking.
 */
import { delayUnlessClosed } from './http-delay.js';
import { randomBytes } from 'node:crypto';
import { readJsonFile, writeJsonFile } from './json-file.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault, JSON-serialisable so it can be scripted through the admin endpoint. */
export type CarrierFault =
  /** Book normally. */
  | { readonly kind: 'ok' }
  /** Answer `status` with the carrier's JSON error body; 429 adds `Retry-After`. Nothing is booked. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number; readonly code?: string; readonly body?: string }
  /**
   * Answer 200 with a body the client cannot use: `not-json` (an HTML page), `missing-fields` (JSON without
   * `trackingNumber`), `empty`, `truncated` (cut-off JSON). By default the shipment IS booked first, as when a
   * carrier books and then fails to render its answer: the outcome is unknown to the client.
   */
  | { readonly kind: 'malformed'; readonly variant?: 'not-json' | 'missing-fields' | 'empty' | 'truncated'; readonly book?: boolean }
  /**
   * Wait `delayMs`, then apply `then` (default `ok`). A client that gives up meanwhile is honoured: the
   * request is dropped and nothing is booked, unless `bookFirst` (the carrier booked, then was slow to answer).
   */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly then?: CarrierFaultInput; readonly bookFirst?: boolean }
  /** Destroy the socket without answering; `bookFirst` books before dropping. */
  | { readonly kind: 'drop'; readonly bookFirst?: boolean };

/**
 * A fault or its shorthand: `'ok'`, `'malformed'`, `'drop'`, or an HTTP status such as `429`, `503`, `400`.
 * @example stub.script([429, 429, 'ok'])
 */
export type CarrierFaultInput = CarrierFault | 'ok' | 'malformed' | 'drop' | number;

/** A booked shipment. */
export interface CarrierShipment {
  readonly shipmentId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly status: 'booked';
  readonly orderId: string;
}

/** One booking, recorded once per idempotency key. */
export interface CarrierBooking {
  readonly idempotencyKey: string;
  readonly orderId: string;
  readonly shipment: CarrierShipment;
  /** The parsed request body that booked it. */
  readonly request: unknown;
  readonly bookedAt: string;
}

/** One request the stub received (admin requests excluded). */
export interface CarrierRequestLog {
  readonly method: string;
  readonly path: string;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body text. */
  readonly body: string;
  readonly orderId?: string;
  readonly idempotencyKey?: string;
  /** The fault applied, if any (`ok` is not recorded). */
  readonly fault?: CarrierFault;
  /** The status sent, `dropped` (socket destroyed) or `aborted` (the client went away first). */
  outcome: number | 'dropped' | 'aborted' | 'pending';
  readonly receivedAt: string;
}

export interface CarrierStubOptions {
  /** @default 0 (any free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The carrier name in shipments. @default 'StubParcel' */
  readonly carrier?: string;
  /** When set, requests to `/v1/*` need `Authorization: Bearer <apiKey>` (401 otherwise). */
  readonly apiKey?: string;
  /** Seconds in the `Retry-After` of a 429 without its own. @default 1 */
  readonly retryAfterSeconds?: number;
  /**
   * Keep the bookings in this JSON file (loaded at start, rewritten with write-then-rename after each
   * booking, before the answer): after a restart an idempotent retry still finds its shipment.
   * @default in memory
   */
  readonly dataFile?: string;
}

/** What `start()` returns. */
export interface CarrierStubHandle {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the client appends `/v1/shipments`). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'address_rejected',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

const MAX_BODY_BYTES = 1_048_576;

/** Normalises a fault shorthand; throws on anything it cannot read. */
export function carrierFault(input: CarrierFaultInput): CarrierFault {
  if (input === 'ok') return { kind: 'ok' };
  if (input === 'malformed') return { kind: 'malformed' };
  if (input === 'drop') return { kind: 'drop' };
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 100 || input > 599) throw new TypeError(`carrier fault: invalid HTTP status ${input}`);
    return { kind: 'status', status: input };
  }
  if (typeof input !== 'object' || input === null) throw new TypeError(`carrier fault: unreadable ${JSON.stringify(input)}`);
  switch (input.kind) {
    case 'ok':
    case 'drop':
    case 'malformed':
      return input;
    case 'status':
      if (!Number.isInteger(input.status) || input.status < 100 || input.status > 599) {
        throw new TypeError(`carrier fault: invalid HTTP status ${String(input.status)}`);
      }
      return input;
    case 'slow':
      if (typeof input.delayMs !== 'number' || !(input.delayMs >= 0)) throw new TypeError('carrier fault: slow needs delayMs >= 0');
      return input.then === undefined ? input : { ...input, then: carrierFault(input.then) };
    default:
      throw new TypeError(`carrier fault: unknown kind ${JSON.stringify((input as { kind?: unknown }).kind)}`);
  }
}

/**
 * The carrier API stub.
 *
 * @example
 * const carrier = new CarrierStub();
 * const { url, close } = await carrier.start();
 * carrier.script([429, 429, 'ok']);
 * carrier.scriptFor('ord-2', [{ kind: 'slow', delayMs: 2_000 }]);
 * ...
 * expect(carrier.bookings()).toHaveLength(1);
 * await close();
 */
export class CarrierStub {
  readonly #options: Required<Omit<CarrierStubOptions, 'apiKey' | 'dataFile'>> & { apiKey?: string; dataFile?: string };
  #server: http.Server | undefined;
  #handle: CarrierStubHandle | undefined;
  #globalScript: CarrierFault[] = [];
  #orderScripts = new Map<string, CarrierFault[]>();
  #always: CarrierFault | undefined;
  #requests: CarrierRequestLog[] = [];
  /** Bookings by idempotency key, with the canonical body that made them. */
  #bookings = new Map<string, { booking: CarrierBooking; canonicalBody: string }>();
  /** The bookings by order id, so `bookings({ orderId })` stays cheap in a long run. */
  #bookingsByOrder = new Map<string, CarrierBooking[]>();
  #shipments = new Map<string, CarrierShipment>();
  #timers = new Set<NodeJS.Timeout>();

  constructor(options: CarrierStubOptions = {}) {
    this.#options = {
      port: options.port ?? 0,
      host: options.host ?? '127.0.0.1',
      carrier: options.carrier ?? 'StubParcel',
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      ...(options.dataFile === undefined ? {} : { dataFile: options.dataFile }),
    };
    const saved = options.dataFile === undefined ? undefined : (readJsonFile(options.dataFile) as { version?: number; bookings?: Array<[string, { booking: CarrierBooking; canonicalBody: string }]> } | undefined);
    if (saved !== undefined) {
      if (saved.version !== 1 || !Array.isArray(saved.bookings)) throw new Error(`CarrierStub: ${options.dataFile} is not a carrier stub data file (version 1)`);
      for (const [key, entry] of saved.bookings) {
        this.#bookings.set(key, entry);
        this.#indexBooking(entry.booking);
        this.#shipments.set(entry.booking.shipment.shipmentId, entry.booking.shipment);
      }
    }
  }

  /** Writes the bookings to `dataFile` (when set): whole, never half-written. */
  #persist(): void {
    const file = this.#options.dataFile;
    if (file !== undefined) writeJsonFile(file, { version: 1, bookings: [...this.#bookings] });
  }

  /** Starts listening; idempotent while running. */
  async start(): Promise<CarrierStubHandle> {
    if (this.#handle) return this.#handle;
    const server = http.createServer((req, res) => {
      this.#onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) this.#json(res, 500, { error: { code: 'stub_error', message: String(error) } });
      });
    });
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port, this.#options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    this.#handle = { url: `http://${host}:${port}`, port, close: () => this.close() };
    return this.#handle;
  }

  /** Base URL (the apps' `CARRIER_API_URL`); throws before `start()`. */
  get url(): string {
    if (!this.#handle) throw new Error('CarrierStub: not started');
    return this.#handle.url;
  }

  /** The port; throws before `start()`. */
  get port(): number {
    if (!this.#handle) throw new Error('CarrierStub: not started');
    return this.#handle.port;
  }

  /** Stops listening, drops open connections and pending slow answers. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#handle = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Appends faults to the global script (consumed one per booking request, in order). */
  script(faults: readonly CarrierFaultInput[]): this {
    this.#globalScript.push(...faults.map(carrierFault));
    return this;
  }

  /** Appends faults to the script of one order (matched on the request body's `orderId`). */
  scriptFor(orderId: string, faults: readonly CarrierFaultInput[]): this {
    const queue = this.#orderScripts.get(orderId) ?? [];
    queue.push(...faults.map(carrierFault));
    this.#orderScripts.set(orderId, queue);
    return this;
  }

  /** A fault for every booking request no script covers, until cleared with `undefined` or `clearFaults()`. */
  always(fault: CarrierFaultInput | undefined): this {
    this.#always = fault === undefined ? undefined : carrierFault(fault);
    return this;
  }

  /** Removes every scripted and standing fault. */
  clearFaults(): this {
    this.#globalScript = [];
    this.#orderScripts.clear();
    this.#always = undefined;
    return this;
  }

  /** Faults not consumed yet. */
  pendingFaults(): { global: CarrierFault[]; byOrder: Record<string, CarrierFault[]>; always?: CarrierFault } {
    return {
      global: [...this.#globalScript],
      byOrder: Object.fromEntries([...this.#orderScripts].filter(([, q]) => q.length > 0).map(([k, q]) => [k, [...q]])),
      ...(this.#always === undefined ? {} : { always: this.#always }),
    };
  }

  /** The requests received so far (admin requests excluded), oldest first. */
  requests(): CarrierRequestLog[] {
    return this.#requests.map((r) => ({ ...r }));
  }

  /** What was booked, once per idempotency key, oldest first; optionally only one order's. */
  bookings(filter: { orderId?: string } = {}): CarrierBooking[] {
    if (filter.orderId !== undefined) return [...(this.#bookingsByOrder.get(filter.orderId) ?? [])];
    return [...this.#bookings.values()].map((b) => b.booking);
  }

  #indexBooking(booking: CarrierBooking): void {
    this.#bookingsByOrder.set(booking.orderId, [...(this.#bookingsByOrder.get(booking.orderId) ?? []), booking]);
  }

  /** Forgets faults, requests and bookings. */
  reset(): this {
    this.clearFaults();
    this.#requests = [];
    this.#bookings.clear();
    this.#bookingsByOrder.clear();
    this.#shipments.clear();
    return this;
  }

  // ---- request handling --------------------------------------------------------------------------

  async #onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = await readBody(req);
    if (body === undefined) {
      this.#json(res, 413, { error: { code: 'payload_too_large', message: 'body too large' } });
      return;
    }
    if (url.pathname.startsWith('/__admin/')) {
      this.#admin(req.method ?? 'GET', url.pathname, body, res);
      return;
    }
    const log: CarrierRequestLog = {
      method: req.method ?? 'GET',
      path: url.pathname,
      headers: flatHeaders(req.headers),
      body,
      outcome: 'pending',
      receivedAt: new Date().toISOString(),
    };
    this.#requests.push(log);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      log.outcome = status;
      this.#json(res, status, payload, headers);
    };

    if (this.#options.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.#options.apiKey}`) {
      send(401, { error: { code: 'unauthorized', message: 'missing or wrong API key' } });
      return;
    }

    const shipmentMatch = /^\/v1\/shipments\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && shipmentMatch) {
      const shipment = this.#shipments.get(decodeURIComponent(shipmentMatch[1] ?? ''));
      if (shipment) send(200, shipment);
      else send(404, { error: { code: 'not_found', message: 'no such shipment' } });
      return;
    }
    if (url.pathname !== '/v1/shipments') {
      send(404, { error: { code: 'not_found', message: `no route ${req.method ?? ''} ${url.pathname}` } });
      return;
    }
    if (req.method !== 'POST') {
      send(405, { error: { code: 'method_not_allowed', message: 'use POST' } }, { allow: 'POST' });
      return;
    }

    const parsed = parseBookingRequest(body, req.headers['content-type']);
    if (!parsed.ok) {
      send(400, { error: { code: 'invalid_request', message: parsed.message } });
      return;
    }
    const key = header(req.headers['idempotency-key']);
    if (key === undefined || key.length === 0 || key.length > 255) {
      send(400, { error: { code: 'idempotency_key_required', message: 'Idempotency-Key header (1-255 chars) is required' } });
      return;
    }
    Object.assign(log, { orderId: parsed.orderId, idempotencyKey: key });

    const fault = this.#nextFault(parsed.orderId);
    if (fault.kind !== 'ok') Object.assign(log, { fault });
    await this.#apply(fault, { key, orderId: parsed.orderId, request: parsed.value, canonicalBody: canonicalJson(parsed.value) }, req, res, log, send);
  }

  #nextFault(orderId: string): CarrierFault {
    const perOrder = this.#orderScripts.get(orderId);
    if (perOrder && perOrder.length > 0) return perOrder.shift() as CarrierFault;
    if (this.#globalScript.length > 0) return this.#globalScript.shift() as CarrierFault;
    return this.#always ?? { kind: 'ok' };
  }

  async #apply(
    fault: CarrierFault,
    booking: { key: string; orderId: string; request: unknown; canonicalBody: string },
    req: http.IncomingMessage,
    res: http.ServerResponse,
    log: CarrierRequestLog,
    send: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): Promise<void> {
    switch (fault.kind) {
      case 'ok': {
        const existing = this.#bookings.get(booking.key);
        if (existing && existing.canonicalBody !== booking.canonicalBody) {
          send(422, {
            error: { code: 'idempotency_key_reused', message: 'Idempotency-Key was used with a different request body' },
          });
          return;
        }
        if (existing) {
          send(200, existing.booking.shipment, { 'idempotent-replayed': 'true' });
          return;
        }
        send(201, this.#book(booking).shipment);
        return;
      }
      case 'status': {
        const headers: Record<string, string> = {};
        if (fault.status === 429) headers['retry-after'] = String(fault.retryAfterSeconds ?? this.#options.retryAfterSeconds);
        else if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        if (fault.body !== undefined) {
          log.outcome = fault.status;
          res.writeHead(fault.status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
          res.end(fault.body);
          return;
        }
        const code = fault.code ?? DEFAULT_ERROR_CODES[fault.status] ?? (fault.status >= 500 ? 'server_error' : 'request_failed');
        send(fault.status, { error: { code, message: `scripted ${fault.status} ${code}` } }, headers);
        return;
      }
      case 'malformed': {
        if (fault.book !== false && !this.#bookings.has(booking.key)) this.#book(booking);
        const variant = fault.variant ?? 'not-json';
        const shipment = this.#bookings.get(booking.key)?.booking.shipment;
        const text =
          variant === 'not-json'
            ? '<html><body><h1>Scheduled maintenance</h1></body></html>'
            : variant === 'missing-fields'
              ? JSON.stringify({ shipmentId: shipment?.shipmentId ?? 'shp_unknown', status: 'booked' })
              : variant === 'truncated'
                ? JSON.stringify(shipment ?? { shipmentId: 'shp_unknown' }).slice(0, 20)
                : '';
        log.outcome = 200;
        res.writeHead(200, { 'content-type': variant === 'not-json' ? 'text/html; charset=utf-8' : 'application/json' });
        res.end(text);
        return;
      }
      case 'drop': {
        if (fault.bookFirst && !this.#bookings.has(booking.key)) this.#book(booking);
        log.outcome = 'dropped';
        res.socket?.destroy();
        req.socket.destroy();
        return;
      }
      case 'slow': {
        if (fault.bookFirst && !this.#bookings.has(booking.key)) this.#book(booking);
        const completed = await delayUnlessClosed(res, fault.delayMs, this.#timers);
        if (!completed) {
          log.outcome = 'aborted';
          return;
        }
        await this.#apply(carrierFault(fault.then ?? 'ok'), booking, req, res, log, send);
        return;
      }
    }
  }

  #book(booking: { key: string; orderId: string; request: unknown; canonicalBody: string }): CarrierBooking {
    const shipment: CarrierShipment = {
      shipmentId: `shp_${randomBytes(8).toString('hex')}`,
      carrier: this.#options.carrier,
      trackingNumber: `TRK${randomBytes(6).readUIntBE(0, 6).toString().padStart(15, '0')}`,
      status: 'booked',
      orderId: booking.orderId,
    };
    const record: CarrierBooking = {
      idempotencyKey: booking.key,
      orderId: booking.orderId,
      shipment,
      request: booking.request,
      bookedAt: new Date().toISOString(),
    };
    this.#bookings.set(booking.key, { booking: record, canonicalBody: booking.canonicalBody });
    this.#indexBooking(record);
    this.#shipments.set(shipment.shipmentId, shipment);
    this.#persist();
    return record;
  }

  #admin(method: string, path: string, body: string, res: http.ServerResponse): void {
    try {
      if (path === '/__admin/faults' && method === 'POST') {
        const spec = JSON.parse(body || '{}') as { script?: CarrierFaultInput[]; orderId?: string; always?: CarrierFaultInput | null };
        if (spec.script !== undefined && !Array.isArray(spec.script)) throw new TypeError('script must be an array');
        if (spec.orderId !== undefined && typeof spec.orderId !== 'string') throw new TypeError('orderId must be a string');
        if (spec.script) {
          if (spec.orderId !== undefined) this.scriptFor(spec.orderId, spec.script);
          else this.script(spec.script);
        }
        if (spec.always !== undefined) this.always(spec.always ?? undefined);
        this.#json(res, 200, this.pendingFaults());
        return;
      }
      if (path === '/__admin/faults' && method === 'DELETE') {
        this.clearFaults();
        this.#json(res, 200, this.pendingFaults());
        return;
      }
      if (path === '/__admin/faults' && method === 'GET') return this.#json(res, 200, this.pendingFaults());
      if (path === '/__admin/requests' && method === 'GET') return this.#json(res, 200, this.requests());
      if (path === '/__admin/bookings' && method === 'GET') return this.#json(res, 200, this.bookings());
      if (path === '/__admin/reset' && method === 'POST') {
        this.reset();
        return this.#json(res, 200, { reset: true });
      }
      this.#json(res, 404, { error: { code: 'not_found', message: `no admin route ${method} ${path}` } });
    } catch (error) {
      this.#json(res, 400, { error: { code: 'invalid_admin_request', message: error instanceof Error ? error.message : String(error) } });
    }
  }

  #json(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

/**
 * Creates and starts a carrier stub.
 * @example const carrier = await startCarrierStub(); process.env.CARRIER_API_URL = carrier.url; ... await carrier.close();
 */
export async function startCarrierStub(options: CarrierStubOptions = {}): Promise<CarrierStub> {
  const stub = new CarrierStub(options);
  await stub.start();
  return stub;
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

type ParsedBooking = { ok: true; orderId: string; value: unknown } | { ok: false; message: string };

function parseBookingRequest(body: string, contentType: string | undefined): ParsedBooking {
  if (!contentType?.toLowerCase().startsWith('application/json')) return { ok: false, message: 'content-type must be application/json' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, message: 'body is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'body must be an object' };
  const record = value as Record<string, unknown>;
  if (typeof record['orderId'] !== 'string' || record['orderId'].length === 0) return { ok: false, message: 'orderId is required' };
  const address = record['address'];
  if (typeof address !== 'object' || address === null || Array.isArray(address)) return { ok: false, message: 'address is required' };
  const parcels = record['parcels'];
  if (!Array.isArray(parcels) || parcels.length === 0) return { ok: false, message: 'parcels must be a non-empty array' };
  return { ok: true, orderId: record['orderId'], value };
}

/** JSON with sorted object keys, so equal bodies compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
