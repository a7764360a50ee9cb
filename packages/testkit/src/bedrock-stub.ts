/**
 * A local Amazon Bedrock Runtime speaking the **Converse** wire format (REST-JSON), enough for
 * `@aws-sdk/client-bedrock-runtime`'s `ConverseCommand`:
 *
 * - `POST /model/{modelId}/converse` → `{ output: { message: { role: 'assistant', content: [{ toolUse }] } },
 *   stopReason: 'tool_use', usage, metrics }`. When the request forces a tool (`toolConfig.toolChoice.tool.name`)
 *   the `toolUse` is that tool's; without tools the answer is a text block.
 * - Errors as the service sends them: HTTP status, `x-amzn-errortype: <Name>` and `{"message": ...}`
 *   (`ThrottlingException` 429, `ValidationException` 400, `ModelTimeoutException` 408, `AccessDeniedException` 403, ...).
 * - Admin: `POST /__admin/faults` (`{ script: [...] }`, `{ always: response | null }`), `DELETE /__admin/faults`,
 *   `GET /__admin/requests`, `POST /__admin/reset`.
 *
 * The port speaks HTTP/1.1 **and** cleartext HTTP/2 (h2c with prior knowledge, sniffed from the connection
 * preface), so the client works with its default `NodeHttp2Handler` as well as with `NodeHttpHandler`, and
 * `fetch`/curl can reach the admin routes. Signatures are not checked (use any dummy credentials).
 */
import { delayUnlessClosed } from './http-delay.js';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { Readable } from 'node:stream';

/** Error names with the HTTP status the service uses for them. */
export const BedrockErrorStatus = {
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceUnavailableException: 503,
  InternalServerException: 500,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ServiceQuotaExceededException: 400,
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
} as const;
export type BedrockErrorName = keyof typeof BedrockErrorStatus;

/** One scripted answer, JSON-serialisable so the admin endpoint can take it. */
export type BedrockStubResponse =
  /** A `toolUse` block with this input (tool name: `toolName`, else the forced tool's, else the first tool's). */
  | { readonly kind: 'tool'; readonly input: unknown; readonly toolName?: string; readonly stopReason?: string }
  /** A text block instead of a tool use (e.g. a model that ignored the tool). */
  | { readonly kind: 'text'; readonly text: string; readonly stopReason?: string }
  /** A service error. */
  | { readonly kind: 'error'; readonly error: BedrockErrorName | (string & {}); readonly message?: string; readonly status?: number }
  /** Wait, then answer `then` (default: the default answer). A client that aborts meanwhile is honoured. */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly then?: BedrockStubResponseInput }
  /** Any status and body, verbatim. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly contentType?: string }
  /** Destroy the connection without answering. */
  | { readonly kind: 'drop' };

/** A response or the shorthand of an error (`'ThrottlingException'`). */
export type BedrockStubResponseInput = BedrockStubResponse | BedrockErrorName;

/** One request the stub received (admin requests excluded). */
export interface BedrockStubRequest {
  readonly method: string;
  readonly path: string;
  /** Decoded from the path, e.g. `eu.anthropic.claude-haiku-4-5-20251001-v1:0`. */
  readonly modelId?: string;
  /** `converse`, or the last path segment of any other route. */
  readonly operation?: string;
  readonly httpVersion: string;
  /** Lower-case header names, HTTP/2 pseudo-headers left out. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body text the client sent. */
  readonly body: string;
  /** The body parsed as JSON, when it is. */
  readonly json?: unknown;
  outcome: number | 'dropped' | 'aborted' | 'pending';
  readonly receivedAt: string;
}

export interface BedrockStubOptions {
  /** @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * The tool input of the default answer, or a function of the parsed request body returning it.
   * @default {@link DEFAULT_STUB_TOOL_INPUT}
   */
  readonly toolInput?: unknown | ((request: unknown) => unknown);
  /** When set, other model ids get `ValidationException` ("The provided model identifier is invalid."). */
  readonly models?: readonly string[];
}

/** What `start()` returns. */
export interface BedrockStubHandle {
  /** Pass as the client's `endpoint`, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Same as `endpoint`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The default tool input: a plausible, schema-valid error analysis. */
export const DEFAULT_STUB_TOOL_INPUT = {
  category: 'unknown',
  retriable: false,
  likelyCause: 'Stub analysis: the error did not match a known pattern.',
  remediation: ['Inspect the execution history and the failed step logs.'],
  confidence: 0.5,
} as const;

const PREFACE = 'PRI * HTTP/2.0';
const MAX_BODY_BYTES = 2_097_152;

/** Normalises a response shorthand; throws on anything it cannot read. */
export function bedrockStubResponse(input: BedrockStubResponseInput): BedrockStubResponse {
  if (typeof input === 'string') {
    if (!Object.hasOwn(BedrockErrorStatus, input)) throw new TypeError(`bedrock stub: unknown error name ${input}`);
    return { kind: 'error', error: input };
  }
  if (typeof input !== 'object' || input === null) throw new TypeError(`bedrock stub: unreadable response ${JSON.stringify(input)}`);
  switch (input.kind) {
    case 'tool':
    case 'text':
    case 'drop':
      return input;
    case 'error':
      if (typeof input.error !== 'string' || input.error.length === 0) throw new TypeError('bedrock stub: error needs a name');
      return input;
    case 'raw':
      if (!Number.isInteger(input.status) || typeof input.body !== 'string') throw new TypeError('bedrock stub: raw needs status and body');
      return input;
    case 'slow':
      if (typeof input.delayMs !== 'number' || !(input.delayMs >= 0)) throw new TypeError('bedrock stub: slow needs delayMs >= 0');
      return input.then === undefined ? input : { ...input, then: bedrockStubResponse(input.then) };
    default:
      throw new TypeError(`bedrock stub: unknown kind ${JSON.stringify((input as { kind?: unknown }).kind)}`);
  }
}

type AnyRequest = http.IncomingMessage | http2.Http2ServerRequest;
interface AnyResponse {
  writeHead(status: number, headers: Record<string, string | number>): unknown;
  end(body?: string): unknown;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
  readonly headersSent: boolean;
}

/**
 * The Bedrock Runtime stub.
 *
 * @example
 * const bedrock = new BedrockStub();
 * const { endpoint, close } = await bedrock.start();
 * const client = new BedrockRuntimeClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
 * bedrock.script(['ThrottlingException', { kind: 'tool', input: {...} }]);
 * ...
 * expect(bedrock.requests()[0].body).not.toContain('ada@example.com');
 */
export class BedrockStub {
  readonly #options: BedrockStubOptions;
  #server: net.Server | undefined;
  #h1: http.Server | undefined;
  #h2: http2.Http2Server | undefined;
  #handle: BedrockStubHandle | undefined;
  #sockets = new Set<net.Socket>();
  #timers = new Set<NodeJS.Timeout>();
  #script: BedrockStubResponse[] = [];
  #always: BedrockStubResponse | undefined;
  #requests: BedrockStubRequest[] = [];

  constructor(options: BedrockStubOptions = {}) {
    this.#options = options;
  }

  /** Starts listening; idempotent while running. */
  async start(): Promise<BedrockStubHandle> {
    if (this.#handle) return this.#handle;
    const onRequest = (req: AnyRequest, res: AnyResponse): void => {
      this.#onRequest(req, res).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) {
          this.#send(res, 500, { message: `stub error: ${String(error)}` }, { 'x-amzn-errortype': 'InternalServerException' });
        }
      });
    };
    const h1 = http.createServer((req, res) => onRequest(req, res));
    const h2 = http2.createServer({}, (req, res) => onRequest(req, res as unknown as AnyResponse));
    h1.keepAliveTimeout = 1_000;
    const server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      socket.once('readable', () => {
        const head = socket.read() as Buffer | null;
        if (head === null) return;
        socket.unshift(head);
        const isH2 = head.subarray(0, PREFACE.length).toString('latin1') === PREFACE.slice(0, Math.min(head.length, PREFACE.length));
        (isH2 ? h2 : h1).emit('connection', socket);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#options.port ?? 0, this.#options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    this.#h1 = h1;
    this.#h2 = h2;
    const { port } = server.address() as net.AddressInfo;
    const rawHost = this.#options.host ?? '127.0.0.1';
    const host = rawHost.includes(':') ? `[${rawHost}]` : rawHost;
    const endpoint = `http://${host}:${port}`;
    this.#handle = { endpoint, url: endpoint, port, close: () => this.close() };
    return this.#handle;
  }

  /** The endpoint (the client's `endpoint`, or `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`); throws before `start()`. */
  get endpoint(): string {
    if (!this.#handle) throw new Error('BedrockStub: not started');
    return this.#handle.endpoint;
  }

  /** Same as {@link endpoint}. */
  get url(): string {
    return this.endpoint;
  }

  /** The port; throws before `start()`. */
  get port(): number {
    if (!this.#handle) throw new Error('BedrockStub: not started');
    return this.#handle.port;
  }

  /** Stops listening and drops every connection and pending slow answer. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    this.#handle = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.#h1?.closeAllConnections();
    this.#h2?.close();
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  /** Appends answers to the script, consumed one per Converse request. */
  script(responses: readonly BedrockStubResponseInput[]): this {
    this.#script.push(...responses.map(bedrockStubResponse));
    return this;
  }

  /** An answer for every request the script does not cover; `undefined` restores the default. */
  always(response: BedrockStubResponseInput | undefined): this {
    this.#always = response === undefined ? undefined : bedrockStubResponse(response);
    return this;
  }

  /** Removes the script and the standing answer. */
  clearFaults(): this {
    this.#script = [];
    this.#always = undefined;
    return this;
  }

  /** Answers not consumed yet. */
  pending(): { script: BedrockStubResponse[]; always?: BedrockStubResponse } {
    return { script: [...this.#script], ...(this.#always === undefined ? {} : { always: this.#always }) };
  }

  /** The requests received (admin requests excluded), oldest first, with the exact body text. */
  requests(): BedrockStubRequest[] {
    return this.#requests.map((r) => ({ ...r }));
  }

  /** Forgets the script and the request log. */
  reset(): this {
    this.clearFaults();
    this.#requests = [];
    return this;
  }

  // ---- request handling --------------------------------------------------------------------------

  async #onRequest(req: AnyRequest, res: AnyResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = await readBody(req);
    if (body === undefined) {
      this.#send(res, 413, { message: 'Request body too large' }, { 'x-amzn-errortype': 'ValidationException' });
      return;
    }
    if (url.pathname.startsWith('/__admin/')) {
      this.#admin(method, url.pathname, body, res);
      return;
    }
    const match = /^\/model\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    let json: unknown;
    try {
      json = body.length > 0 ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const log: BedrockStubRequest = {
      method,
      path: url.pathname,
      ...(match ? { modelId: safeDecode(match[1] ?? ''), operation: match[2] ?? '' } : {}),
      httpVersion: req.httpVersion,
      headers: flatHeaders(req.headers),
      body,
      ...(json === undefined ? {} : { json }),
      outcome: 'pending',
      receivedAt: new Date().toISOString(),
    };
    this.#requests.push(log);

    const fail = (status: number, error: string, message: string): void => {
      log.outcome = status;
      this.#send(res, status, { message }, { 'x-amzn-errortype': error });
    };
    if (!match || method !== 'POST') return fail(404, 'UnknownOperationException', `No route for ${method} ${url.pathname}`);
    if (match[2] !== 'converse') return fail(404, 'UnknownOperationException', `The stub only implements Converse, not ${match[2] ?? ''}`);
    if (!isConverseBody(json)) return fail(400, 'ValidationException', 'Malformed input request: messages is required');
    if (this.#options.models && !this.#options.models.includes(log.modelId ?? '')) {
      return fail(400, 'ValidationException', 'The provided model identifier is invalid.');
    }
    const response = this.#script.shift() ?? this.#always ?? this.#defaultResponse(json);
    await this.#answer(response, json, req, res, log);
  }

  #defaultResponse(request: unknown): BedrockStubResponse {
    const configured = this.#options.toolInput;
    const input = typeof configured === 'function' ? (configured as (r: unknown) => unknown)(request) : (configured ?? DEFAULT_STUB_TOOL_INPUT);
    return { kind: 'tool', input };
  }

  async #answer(response: BedrockStubResponse, request: ConverseBody, req: AnyRequest, res: AnyResponse, log: BedrockStubRequest): Promise<void> {
    const usage = { inputTokens: Math.ceil(log.body.length / 4), outputTokens: 0, totalTokens: 0 };
    switch (response.kind) {
      case 'tool': {
        const tools = request.toolConfig?.tools ?? [];
        const name = response.toolName ?? request.toolConfig?.toolChoice?.tool?.name ?? tools[0]?.toolSpec?.name;
        if (name === undefined) {
          // No tool to use: answer the input as text, as a model would.
          return this.#answer({ kind: 'text', text: JSON.stringify(response.input) }, request, req, res, log);
        }
        const outputTokens = Math.ceil(JSON.stringify(response.input ?? null).length / 4);
        log.outcome = 200;
        this.#send(res, 200, {
          output: {
            message: {
              role: 'assistant',
              content: [{ toolUse: { toolUseId: `tooluse_${randomUUID().replaceAll('-', '').slice(0, 22)}`, name, input: response.input } }],
            },
          },
          stopReason: response.stopReason ?? 'tool_use',
          usage: { ...usage, outputTokens, totalTokens: usage.inputTokens + outputTokens },
          metrics: { latencyMs: 1 },
        });
        return;
      }
      case 'text': {
        const outputTokens = Math.ceil(response.text.length / 4);
        log.outcome = 200;
        this.#send(res, 200, {
          output: { message: { role: 'assistant', content: [{ text: response.text }] } },
          stopReason: response.stopReason ?? 'end_turn',
          usage: { ...usage, outputTokens, totalTokens: usage.inputTokens + outputTokens },
          metrics: { latencyMs: 1 },
        });
        return;
      }
      case 'error': {
        const status = response.status ?? (BedrockErrorStatus as Record<string, number>)[response.error] ?? 400;
        log.outcome = status;
        this.#send(res, status, { message: response.message ?? `Scripted ${response.error}` }, { 'x-amzn-errortype': response.error });
        return;
      }
      case 'raw': {
        log.outcome = response.status;
        if (res.destroyed) return;
        res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json', 'x-amzn-requestid': randomUUID() });
        res.end(response.body);
        return;
      }
      case 'drop': {
        log.outcome = 'dropped';
        req.socket.destroy();
        return;
      }
      case 'slow': {
        const completed = await delayUnlessClosed(res, response.delayMs, this.#timers);
        if (!completed) {
          log.outcome = 'aborted';
          return;
        }
        const then = response.then === undefined ? this.#defaultResponse(request) : bedrockStubResponse(response.then);
        await this.#answer(then, request, req, res, log);
        return;
      }
    }
  }

  #admin(method: string, path: string, body: string, res: AnyResponse): void {
    try {
      if (path === '/__admin/faults' && method === 'POST') {
        const spec = JSON.parse(body || '{}') as { script?: BedrockStubResponseInput[]; always?: BedrockStubResponseInput | null };
        if (spec.script !== undefined && !Array.isArray(spec.script)) throw new TypeError('script must be an array');
        if (spec.script) this.script(spec.script);
        if (spec.always !== undefined) this.always(spec.always ?? undefined);
        return this.#send(res, 200, this.pending());
      }
      if (path === '/__admin/faults' && method === 'DELETE') {
        this.clearFaults();
        return this.#send(res, 200, this.pending());
      }
      if (path === '/__admin/faults' && method === 'GET') return this.#send(res, 200, this.pending());
      if (path === '/__admin/requests' && method === 'GET') return this.#send(res, 200, this.requests());
      if (path === '/__admin/reset' && method === 'POST') {
        this.reset();
        return this.#send(res, 200, { reset: true });
      }
      this.#send(res, 404, { message: `no admin route ${method} ${path}` });
    } catch (error) {
      this.#send(res, 400, { message: error instanceof Error ? error.message : String(error) });
    }
  }

  #send(res: AnyResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed) return;
    const text = JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...headers,
    });
    res.end(text);
  }
}

/**
 * Creates and starts a Bedrock Runtime stub.
 * @example const bedrock = await startBedrockStub(); new BedrockRuntimeClient({ endpoint: bedrock.endpoint, ... })
 */
export async function startBedrockStub(options: BedrockStubOptions = {}): Promise<BedrockStub> {
  const stub = new BedrockStub(options);
  await stub.start();
  return stub;
}

interface ConverseBody {
  messages: unknown[];
  toolConfig?: { tools?: Array<{ toolSpec?: { name?: string } }>; toolChoice?: { tool?: { name?: string } } };
}

function isConverseBody(value: unknown): value is ConverseBody {
  return typeof value === 'object' && value !== null && Array.isArray((value as { messages?: unknown }).messages);
}

async function readBody(req: Readable): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
