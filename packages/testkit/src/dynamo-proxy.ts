import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A thin node:http front for a local DynamoDB server (dynalite or DynamoDB Local). It forwards every
// request unchanged and adds what the servers lack: scripted faults (programmatic and over HTTP, so
// another process can script them) and a request log for assertions.

/** Path prefix of the admin endpoints. DynamoDB clients only ever POST to `/`. */
export const DYNAMO_ADMIN_PREFIX = '/__admin';

/**
 * A scripted fault. It matches requests by operation and table, and answers the next `times` of them
 * with a DynamoDB error, a reset connection, or a delay before forwarding.
 */
export interface DynamoFaultSpec {
  /** The operation (`X-Amz-Target` suffix), e.g. `TransactWriteItems`. Any when absent. */
  readonly operation?: string;
  /** A table the request touches (`TableName`, `TransactItems[].*.TableName`, `RequestItems` keys). Any when absent. */
  readonly table?: string;
  /** How many matching requests the fault applies to. @default 1 */
  readonly times?: number;
  /**
   * The DynamoDB error (`__type` short name) to answer with, e.g. `ProvisionedThroughputExceededException`,
   * `ThrottlingException`, `InternalServerError`, `TransactionCanceledException`, `ResourceNotFoundException`.
   */
  readonly error?: string;
  /** HTTP status of the error. @default 500 for `InternalServerError`, 503 for `ServiceUnavailable`, else 400 */
  readonly status?: number;
  /** The error message. @default `injected fault` */
  readonly message?: string;
  /** For `TransactionCanceledException`: the per-item reasons, e.g. `[{ Code: 'TransactionConflict' }]`. */
  readonly cancellationReasons?: ReadonlyArray<{ readonly Code: string; readonly Message?: string }>;
  /** Destroy the connection without answering (the client sees ECONNRESET). */
  readonly reset?: boolean;
  /** Wait this long first; without `error`/`reset` the request is then forwarded. */
  readonly delayMs?: number;
}

/** A fault as listed: its spec, its id and how many more requests it applies to. */
export interface DynamoFault extends DynamoFaultSpec {
  readonly id: string;
  readonly remaining: number;
}

/** One forwarded (or faulted) request. Bodies are not kept. */
export interface DynamoRequestLogEntry {
  /** ISO time the request arrived. */
  readonly at: string;
  /** The operation, e.g. `PutItem`; `unknown` if the target header is missing. */
  readonly operation: string;
  /** Tables the request touches. */
  readonly tables: readonly string[];
  /** HTTP status answered (0 for a reset connection). */
  readonly status: number;
  /** Set when a fault answered instead of the server: the fault id. */
  readonly faultId?: string;
  readonly durationMs: number;
}

/** Faults and request log of a local DynamoDB server. */
export interface DynamoControls {
  /** Adds a fault; returns its id. */
  addFault(spec: DynamoFaultSpec): string;
  /** Removes one fault, or all. */
  clearFaults(id?: string): void;
  /** The active faults. */
  faults(): readonly DynamoFault[];
  /** The requests seen (newest last, at most {@link MAX_LOG_ENTRIES}), optionally filtered by operation. */
  requests(operation?: string): readonly DynamoRequestLogEntry[];
  clearRequests(): void;
}

/** The request log keeps the newest entries only. */
export const MAX_LOG_ENTRIES = 5_000;

const MAX_BODY_BYTES = 16 * 1024 * 1024;

interface ActiveFault {
  id: string;
  spec: DynamoFaultSpec;
  remaining: number;
}

/** A started front. */
export interface DynamoProxy extends DynamoControls {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts the front on `host:port`, forwarding to `upstream` (e.g. `http://127.0.0.1:8000`). */
export async function startDynamoProxy(upstream: URL, options: { host?: string; port?: number } = {}): Promise<DynamoProxy> {
  const host = options.host ?? '127.0.0.1';
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const active: ActiveFault[] = [];
  const log: DynamoRequestLogEntry[] = [];
  let nextId = 1;

  const controls: DynamoControls = {
    addFault(spec) {
      validateFault(spec);
      const id = `fault-${nextId++}`;
      active.push({ id, spec: { ...spec }, remaining: spec.times ?? 1 });
      return id;
    },
    clearFaults(id) {
      if (id === undefined) active.length = 0;
      else {
        const index = active.findIndex((f) => f.id === id);
        if (index >= 0) active.splice(index, 1);
      }
    },
    faults: () => active.map((f) => ({ ...f.spec, id: f.id, remaining: f.remaining })),
    requests: (operation) => (operation === undefined ? [...log] : log.filter((e) => e.operation === operation)),
    clearRequests() {
      log.length = 0;
    },
  };

  const record = (entry: DynamoRequestLogEntry): void => {
    log.push(entry);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  };

  const takeFault = (operation: string, tables: readonly string[]): ActiveFault | undefined => {
    const fault = active.find(
      (f) =>
        (f.spec.operation === undefined || f.spec.operation === operation) &&
        (f.spec.table === undefined || tables.includes(f.spec.table)),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) active.splice(active.indexOf(fault), 1);
    return fault;
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { __type: 'InternalServerError', message: `testkit proxy: ${String(error)}` });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    const body = await readBody(req);
    if (req.url?.startsWith(DYNAMO_ADMIN_PREFIX)) return handleAdmin(req, res, body, controls);

    const target = header(req, 'x-amz-target');
    const operation = target?.split('.').pop() ?? 'unknown';
    const tables = tablesOf(body);
    const fault = takeFault(operation, tables);
    if (fault?.spec.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.spec.delayMs));
    if (fault?.spec.reset) {
      record({ at, operation, tables, status: 0, faultId: fault.id, durationMs: Date.now() - started });
      req.socket.destroy();
      return;
    }
    if (fault?.spec.error !== undefined) {
      const { error, message = 'injected fault', cancellationReasons } = fault.spec;
      const status = fault.spec.status ?? defaultStatus(error);
      const payload: Record<string, unknown> = { __type: `com.amazonaws.dynamodb.v20120810#${error}`, message };
      if (cancellationReasons !== undefined) payload['CancellationReasons'] = cancellationReasons;
      sendJson(res, status, payload);
      record({ at, operation, tables, status, faultId: fault.id, durationMs: Date.now() - started });
      return;
    }

    const status = await forward(upstream, agent, req, body, res);
    record({ at, operation, tables, status, durationMs: Date.now() - started });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    ...controls,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          agent.destroy();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

function validateFault(spec: DynamoFaultSpec): void {
  if (typeof spec !== 'object' || spec === null) throw new TypeError('a fault must be an object');
  if (spec.error === undefined && !spec.reset && spec.delayMs === undefined) {
    throw new TypeError('a fault needs error, reset or delayMs');
  }
  if (spec.times !== undefined && !(spec.times >= 1)) throw new RangeError('fault.times must be >= 1');
  if (spec.delayMs !== undefined && !(spec.delayMs >= 0)) throw new RangeError('fault.delayMs must be >= 0');
  if (spec.error !== undefined && !/^[A-Za-z][A-Za-z0-9]{0,127}$/.test(spec.error)) {
    throw new TypeError('fault.error must be a DynamoDB error name, e.g. ThrottlingException');
  }
}

function defaultStatus(error: string): number {
  if (error === 'InternalServerError') return 500;
  if (error === 'ServiceUnavailable') return 503;
  return 400;
}

function handleAdmin(req: IncomingMessage, res: ServerResponse, body: Buffer, controls: DynamoControls): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname.slice(DYNAMO_ADMIN_PREFIX.length);
  try {
    if (path === '/faults' && req.method === 'POST') {
      const spec = JSON.parse(body.toString('utf8')) as DynamoFaultSpec;
      return sendJson(res, 201, { id: controls.addFault(spec) });
    }
    if (path === '/faults' && req.method === 'GET') return sendJson(res, 200, { faults: controls.faults() });
    if (path === '/faults' && req.method === 'DELETE') {
      controls.clearFaults(url.searchParams.get('id') ?? undefined);
      return sendJson(res, 200, { faults: controls.faults() });
    }
    if (path === '/requests' && req.method === 'GET') {
      return sendJson(res, 200, { requests: controls.requests(url.searchParams.get('operation') ?? undefined) });
    }
    if (path === '/requests' && req.method === 'DELETE') {
      controls.clearRequests();
      return sendJson(res, 200, { requests: [] });
    }
    return sendJson(res, 404, { error: `no admin route ${req.method ?? ''} ${url.pathname}` });
  } catch (error) {
    return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

function forward(upstream: URL, agent: Agent, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    const upstreamReq = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        upstreamRes.on('end', () => resolve(upstreamRes.statusCode ?? 502));
        upstreamRes.on('error', reject);
      },
    );
    upstreamReq.on('error', (error) => {
      if (!res.headersSent) {
        sendJson(res, 503, { __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable', message: `upstream: ${error.message}` });
        resolve(503);
      } else reject(error);
    });
    upstreamReq.end(body);
  });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The tables a DynamoDB JSON request touches; never throws. */
export function tablesOf(body: Buffer | string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const request = parsed as Record<string, unknown>;
  const tables = new Set<string>();
  if (typeof request['TableName'] === 'string') tables.add(request['TableName']);
  const requestItems = request['RequestItems'];
  if (typeof requestItems === 'object' && requestItems !== null) Object.keys(requestItems).forEach((t) => tables.add(t));
  const transactItems = request['TransactItems'];
  if (Array.isArray(transactItems)) {
    for (const item of transactItems as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      for (const action of Object.values(item as Record<string, unknown>)) {
        const name = typeof action === 'object' && action !== null ? (action as Record<string, unknown>)['TableName'] : undefined;
        if (typeof name === 'string') tables.add(name);
      }
    }
  }
  return [...tables];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `testkit-${Math.random().toString(36).slice(2, 10)}`,
  });
  res.end(text);
}
