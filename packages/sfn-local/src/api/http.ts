import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Outboxes } from '../integrations/outbox.js';
import type { SfnService } from '../service.js';
import { SfnApiError } from '../service/errors.js';
import { routes, unsupportedOperations } from './routes.js';
import { parseInput } from './shapes.js';
import { dispatchEvents, EventsApiError, eventsErrorResponse, isEventsTarget } from './events/put-events.js';
import { dispatchSqs, isSqsTarget, SqsApiError, sqsErrorResponse } from './sqs/index.js';
import { nodeCrypto } from '../node-crypto.js';

/**
 * The Step Functions API over HTTP (awsJson1_0): `POST /` with
 * `X-Amz-Target: AWSStepFunctions.<Operation>` and a JSON body; JSON answers with timestamps as
 * epoch seconds; errors as `400 {"__type": "com.amazonaws.sfn#<Name>", "message"}` plus the
 * `x-amzn-errortype` header. Nothing a client sends can bring the server down: unexpected failures
 * answer `500 InternalFailure`.
 *
 * With `outboxes`, the same server answers the SQS API (`X-Amz-Target: AmazonSQS.<Operation>`,
 * see ./sqs) over the local queues the state machines send to, and EventBridge's PutEvents
 * (`AWSEvents.PutEvents`, see ./events) onto the local buses.
 */

export interface SfnHttpOptions {
  /** Largest request body accepted (a 1 MB definition, JSON-escaped, plus room). @default 3 MiB */
  maxBodyBytes?: number;
  /** Told about unexpected errors (answered with 500 InternalFailure). @default console.error */
  onError?(error: unknown, operation: string | undefined): void;
  /** Serve these local queues over the SQS API, and their buses over EventBridge PutEvents (the outboxes the integrations deliver to). */
  outboxes?: Outboxes;
}

export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
const TARGET_PREFIX = 'AWSStepFunctions.';
const ERROR_NAMESPACE = 'com.amazonaws.sfn#';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A `node:http` request listener serving `service`. */
export function createSfnRequestListener(service: SfnService, options: SfnHttpOptions = {}): RequestListener {
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const onError = options.onError ?? ((e: unknown) => console.error('sfn-local: internal error:', e));
  const sqs = options.outboxes ? { outboxes: options.outboxes, region: service.region, account: service.account } : undefined;
  return (req, res) => {
    const requestId = nodeCrypto().randomUUID();
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) {
      return send(res, requestId, 200, { status: 'ok', service: 'sfn-local' });
    }
    if (req.method !== 'POST') {
      req.resume();
      return sendError(res, requestId, new SfnApiError('UnknownOperationException', `Unsupported method: ${req.method ?? ''}`, { httpStatus: 405 }));
    }
    readBody(req, maxBody)
      .then(async (body) => {
        if (body === undefined) {
          throw new SfnApiError('ValidationException', `Request body is larger than the ${maxBody} bytes accepted`, {
            httpStatus: 413,
          });
        }
        const target = header(req, 'x-amz-target');
        if (sqs && isSqsTarget(target)) return dispatchSqs(sqs, target, body, hangUpSignal(res));
        if (options.outboxes && isEventsTarget(target)) return dispatchEvents(options.outboxes, target, body);
        return dispatch(service, target, body);
      })
      .then(
        (output) => send(res, requestId, 200, output ?? {}),
        (e: unknown) => {
          if (e instanceof SfnApiError) return sendError(res, requestId, e);
          if (e instanceof EventsApiError) {
            const answer = eventsErrorResponse(e);
            return send(res, requestId, answer.status, answer.body, answer.headers);
          }
          if (e instanceof SqsApiError) {
            const answer = sqsErrorResponse(e);
            return send(res, requestId, answer.status, answer.body, answer.headers);
          }
          onError(e, header(req, 'x-amz-target'));
          return sendError(res, requestId, new SfnApiError('InternalFailure', 'An internal error occurred', { httpStatus: 500 }));
        },
      )
      .catch((e: unknown) => onError(e, undefined));
  };
}

async function dispatch(service: SfnService, target: string | undefined, body: Buffer): Promise<unknown> {
  const opName = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const op = opName !== undefined && Object.hasOwn(routes, opName) ? routes[opName] : undefined;
  if (!op) {
    if (opName !== undefined && unsupportedOperations.has(opName)) {
      throw new SfnApiError('UnknownOperationException', `Operation not supported by sfn-local: ${opName}`);
    }
    throw new SfnApiError('UnknownOperationException', target ? `Unknown operation: ${target}` : 'Missing X-Amz-Target header');
  }
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    // AWS's JSON services refuse bytes that are not UTF-8 rather than store U+FFFD in names and inputs.
    throw new SfnApiError('SerializationException', 'The request body is not valid UTF-8');
  }
  let parsed: unknown = {};
  if (text.trim() !== '') {
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new SfnApiError('SerializationException', `Invalid JSON in request body: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SfnApiError('SerializationException', 'The request body must be a JSON object');
  }
  const input = parseInput(op.input, parsed as Record<string, unknown>);
  return await op.handle(service, input as never);
}

/** The whole body, or undefined when it is larger than `max` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > max;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        // Drain up to a point so the client can read the answer; beyond it, hang up.
        if (size > max * 16) req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    const incomplete = () => reject(new SfnApiError('SerializationException', 'The request was not received completely'));
    req.on('error', incomplete);
    req.on('close', () => {
      if (!req.complete) incomplete();
    });
  });
}

/** Aborted when the connection closes before the answer is sent (a long poll stops waiting). */
function hangUpSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** JSON with `Date`s as epoch seconds (awsJson1_0 timestamps). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

function send(res: ServerResponse, requestId: string, status: number, body: unknown, extra?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = toJson(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
    ...extra,
  });
  res.end(text);
}

function sendError(res: ServerResponse, requestId: string, error: SfnApiError): void {
  send(
    res,
    requestId,
    error.httpStatus,
    { __type: `${ERROR_NAMESPACE}${error.name}`, message: error.message, ...error.fields },
    { 'x-amzn-errortype': error.name },
  );
}
