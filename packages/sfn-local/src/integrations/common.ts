import type { JsonValue } from '@saga/asl';
import { runtimeError, StatesError } from '../errors.js';
import { jsonRoundTrip } from '../evaluation/json.js';
import { HEX, randomUuid } from '../random.js';
import type { TaskInvocation } from './types.js';

export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `States.Runtime` AWS raises when evaluated Parameters do not fit the integration's API
 * ("The Parameters '{...}' could not be used to start the Task: [The field 'X' is required but
 * was missing]"): never retried, never caught.
 */
export function invalidParameters(invocation: TaskInvocation, detail: string): StatesError {
  return runtimeError(
    invocation.stateName,
    `The Parameters '${JSON.stringify(invocation.input)}' could not be used to start the Task: [${detail}]`,
  );
}

/** The effective input as an object, or the `States.Runtime` AWS raises. */
export function paramsObject(invocation: TaskInvocation): JsonObject {
  const input = invocation.input;
  if (!isJsonObject(input)) throw invalidParameters(invocation, 'The Parameters must be a JSON object');
  return input;
}

export function requiredString(invocation: TaskInvocation, params: JsonObject, field: string): string {
  const value = params[field];
  if (value === undefined || value === null) {
    throw invalidParameters(invocation, `The field '${field}' is required but was missing`);
  }
  if (typeof value !== 'string') throw invalidParameters(invocation, `The value for the field '${field}' must be a STRING`);
  return value;
}

export function optionalString(invocation: TaskInvocation, params: JsonObject, field: string): string | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameters(invocation, `The value for the field '${field}' must be a STRING`);
  return value;
}

/** A body field that AWS lets be any JSON: strings are sent as they are, anything else serialized. */
export function bodyString(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A request id shaped like AWS's (a v4-style UUID): unique in this process (a random prefix drawn
 * once, then a counter), which is all a request id needs; it is not a secret. Drawing 32 random
 * digits per call, or loading the crypto generator on a cold start, cost more than the rest of a
 * Lambda invocation's bookkeeping.
 */
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x1000000000000;
  // The counter's 12 hex digits go after the prefix in one reused buffer, read out as one flat string.
  let n = requestCounter;
  for (let i = 35; i >= 24; i--) {
    REQUEST_ID[i] = HEX[n % 16]!;
    n = Math.floor(n / 16);
  }
  return REQUEST_ID.toString('latin1', 0, 36);
}

/** `xxxxxxxx-xxxx-4xxx-yxxx-` (the first 24 characters of a random UUID), then the counter. */
const REQUEST_ID = Buffer.from(randomUuid(Math.random), 'latin1');
let requestCounter = 0;

/** `SdkHttpMetadata` as the optimized integrations report it (header values also as one-element lists). */
export function sdkHttpMetadata(headers: Record<string, string>, status = 200): JsonObject {
  const all: JsonObject = {};
  for (const [k, v] of Object.entries(headers)) all[k] = [v];
  return { AllHttpHeaders: all, HttpHeaders: { ...headers }, HttpStatusCode: status };
}

export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

/**
 * Runs a task body under the invocation's signal: rejects with the signal's reason as soon as it
 * aborts (the body is then abandoned; a later rejection of it is swallowed), and never starts the
 * body when the signal is already aborted. Synchronous throws become rejections.
 */
export function underSignal<T>(signal: AbortSignal, body: () => Promise<T> | T): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let work: Promise<T>;
  try {
    work = Promise.resolve(body());
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** Runs `fn` and turns a synchronous throw into a rejected promise (resolvers never throw synchronously). */
export function asPromise<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return fn();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `<Prefix>.<Name>` with the `Exception` suffix AWS's error names always carry. */
export function serviceErrorName(prefix: string, errorName: string): string {
  const bare = errorName.startsWith(`${prefix}.`) ? errorName.slice(prefix.length + 1) : errorName;
  return `${prefix}.${bare.endsWith('Exception') ? bare : `${bare}Exception`}`;
}

/** A service error Cause in the form Step Functions reports SDK exceptions. */
export function serviceErrorCause(
  message: string,
  service: string,
  status: number,
  errorCode: string,
  requestId: string,
): string {
  return `${message} (Service: ${service}; Status Code: ${status}; Error Code: ${errorCode}; Request ID: ${requestId}; Proxy: null)`;
}

/**
 * Maps something a pluggable service handler threw: a StatesError passes through; an Error named
 * `X` becomes `<prefix>.X[Exception]` with its message as Cause; anything else becomes
 * `<prefix>.<fallback>`.
 */
export function mapServiceError(thrown: unknown, prefix: string, fallback: string): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const name = thrown.name && thrown.name !== 'Error' ? thrown.name : fallback;
    return new StatesError(serviceErrorName(prefix, name), thrown.message);
  }
  return new StatesError(serviceErrorName(prefix, fallback), String(thrown));
}

/** A JSON copy of `value` (undefined becomes null); throws what JSON.stringify throws. */
export function toJson(value: unknown): JsonValue {
  return jsonRoundTrip(value);
}
