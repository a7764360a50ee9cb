import {
  BookShipmentInputSchema,
  BookShipmentOutputSchema,
  InvalidOrderError,
  SagaError,
  SagaSteps,
  contractIssues,
  type BookShipmentInput,
  type BookShipmentOutput,
} from '@saga/contracts';
import type { StepLogger } from '@saga/lambda-kit/logger';
import { shipmentsUrl, type BookShipmentConfig } from './config.js';

/** Everything BookShipment does I/O with. */
export interface BookShipmentDeps {
  readonly config: BookShipmentConfig;
  /** The WHATWG `fetch` (global in Node 18+); tests pass a fake. */
  readonly fetch: typeof fetch;
  readonly logger: StepLogger;
  /** Milliseconds clock for durations. @default Date.now */
  readonly now?: () => number;
}

/** The request body sent to `POST /v1/shipments`. Only what the label needs: no email, no phone. */
export interface CarrierBookingRequest {
  readonly orderId: string;
  readonly address: {
    readonly name: string;
    readonly line1: string;
    readonly line2?: string;
    readonly city: string;
    readonly postalCode: string;
    readonly country: string;
  };
  readonly parcels: ReadonlyArray<{ readonly reference: string; readonly items: ReadonlyArray<{ readonly sku: string; readonly quantity: number }> }>;
}

/**
 * The carrier idempotency key of an order's booking. Every attempt of the order (Retry, a redrive, a
 * human "retry") sends the same key, so the carrier books at most once and a replay returns the first
 * shipment. Bump the version only if the request body format changes.
 */
export function shipmentIdempotencyKey(orderId: string): string {
  return `${orderId}:shipment:v1`;
}

/**
 * The request body for an order. Deterministic in the order and the reserved lines (never in ids or
 * times), so a retry sends the same body and the carrier's idempotency check accepts it.
 */
export function bookingRequest(input: BookShipmentInput): CarrierBookingRequest {
  const { order, reservation } = input;
  const { name, shippingAddress: a } = order.customer;
  return {
    orderId: order.orderId,
    address: {
      name,
      line1: a.line1,
      ...(a.line2 === undefined ? {} : { line2: a.line2 }),
      city: a.city,
      postalCode: a.postalCode,
      country: a.country,
    },
    parcels: [
      {
        reference: `${order.orderId}-1`,
        items: [...reservation.lines].sort((x, y) => (x.sku < y.sku ? -1 : x.sku > y.sku ? 1 : 0)).map(({ sku, quantity }) => ({ sku, quantity })),
      },
    ],
  };
}

/**
 * Books the order's shipment with the carrier API.
 *
 * 1. Validates the input with the contracts' `BookShipmentInputSchema` (→ `InvalidOrder`) before any call.
 * 2. `POST <CARRIER_API_URL>/v1/shipments` with `Idempotency-Key: <orderId>:shipment:v1` and a timeout.
 * 3. Maps the outcome to the saga's error taxonomy:
 *
 * | carrier outcome | error | saga |
 * |---|---|---|
 * | 2xx with a body that passes `BookShipmentOutputSchema` | (returns it) | |
 * | 2xx that is not JSON, misses fields, or says a status other than `booked` | `CarrierResponseInvalid` | escalate: outcome unknown |
 * | 429 | `CarrierRateLimited` | retry |
 * | 503, any other 5xx | `CarrierUnavailable` | retry |
 * | timeout (no full answer in `CARRIER_TIMEOUT_MS`), network error | `CarrierUnavailable` | retry |
 * | 409, or 422 `idempotency_key_reused` (a booking exists under the key with another body) | `CarrierResponseInvalid` | escalate |
 * | any other 4xx (e.g. 400 address rejected) | `CarrierRejected` | compensate |
 * | 1xx, 3xx | `CarrierResponseInvalid` | escalate |
 *
 * A timeout is `CarrierUnavailable`, not an unknown outcome, because the retry resolves it: it sends the
 * same idempotency key, so if the first call did book, the carrier replays that shipment instead of booking
 * twice. If the retries run out, `CarrierUnavailable` escalates to a person, never compensates.
 *
 * Error messages carry the HTTP status, the carrier's error code and the key, never the carrier's free
 * text (it may echo the address).
 *
 * @throws {SagaError} named `InvalidOrder`, `CarrierRateLimited`, `CarrierUnavailable`, `CarrierRejected` or `CarrierResponseInvalid`.
 */
export async function bookShipment(input: unknown, deps: BookShipmentDeps): Promise<BookShipmentOutput> {
  const parsed = BookShipmentInputSchema.safeParse(input);
  if (!parsed.success) {
    const error = InvalidOrderError.fromZodError(parsed.error);
    deps.logger.warn('invalid input', { step: SagaSteps.BookShipment, outcome: 'rejected', errorName: error.name, issues: error.issues });
    throw error;
  }
  const { orderId } = parsed.data.order;
  const key = shipmentIdempotencyKey(orderId);
  const now = deps.now ?? Date.now;
  const started = now();
  const log = { orderId, step: SagaSteps.BookShipment, idempotencyKey: key };

  try {
    const result = await callCarrier(bookingRequest(parsed.data), key, deps);
    deps.logger.info('shipment booked', {
      ...log,
      outcome: 'booked',
      shipmentId: result.output.shipmentId,
      httpStatus: result.status,
      replayed: result.replayed,
      durationMs: now() - started,
    });
    return result.output;
  } catch (error) {
    const sagaError = error instanceof SagaError ? error : new SagaError('CarrierUnavailable', 'carrier call failed unexpectedly', { cause: error });
    const details = sagaError instanceof CarrierCallError ? sagaError.details : {};
    deps.logger.warn('shipment not booked', { ...log, outcome: 'error', errorName: sagaError.name, ...details, durationMs: now() - started });
    throw sagaError;
  }
}

// ---- the HTTP call -------------------------------------------------------------------------------

type CarrierErrorName = 'CarrierRateLimited' | 'CarrierUnavailable' | 'CarrierRejected' | 'CarrierResponseInvalid';

/** What the log gets about a failed call: facts, no payloads. */
interface CallDetails {
  httpStatus?: number;
  carrierCode?: string;
  networkCode?: string;
  timeoutMs?: number;
}

/** A carrier error with log-safe details. Its `name` is the ASL error. */
class CarrierCallError extends SagaError<CarrierErrorName> {
  constructor(
    name: CarrierErrorName,
    message: string,
    readonly details: CallDetails,
    options?: { cause?: unknown },
  ) {
    super(name, message, options);
  }
}

async function callCarrier(
  request: CarrierBookingRequest,
  key: string,
  deps: BookShipmentDeps,
): Promise<{ output: BookShipmentOutput; status: number; replayed: boolean }> {
  const { config } = deps;
  const signal = AbortSignal.timeout(config.timeoutMs);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    'idempotency-key': key,
  };
  if (config.apiKey !== undefined) headers['authorization'] = `Bearer ${config.apiKey}`;

  let response: Response;
  try {
    response = await deps.fetch(shipmentsUrl(config.carrierApiUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    throw transportError(error, signal, config.timeoutMs, key);
  }

  const { status } = response;
  if (status >= 200 && status < 300) {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // Headers said 2xx but the body never fully arrived: the booking probably exists; the retry replays it.
      throw transportError(error, signal, config.timeoutMs, key, status);
    }
    return { output: parseBooking(text, status, key), status, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }

  const carrierCode = await errorCode(response);
  const details: CallDetails = { httpStatus: status, ...(carrierCode === undefined ? {} : { carrierCode }) };
  const described = `${status}${carrierCode === undefined ? '' : ` (${carrierCode})`}`;
  if (status === 429) {
    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
    throw new CarrierCallError(
      'CarrierRateLimited',
      `carrier answered ${described}${retryAfter === undefined ? '' : `; retry after ${retryAfter} s`}; nothing was booked`,
      details,
    );
  }
  if (status >= 500) throw new CarrierCallError('CarrierUnavailable', `carrier answered ${described}; retry with key ${key}`, details);
  if (status === 409 || (status === 422 && carrierCode === 'idempotency_key_reused')) {
    throw new CarrierCallError(
      'CarrierResponseInvalid',
      `carrier answered ${described}: a booking may already exist under key ${key} with a different request; check it before retrying or compensating`,
      details,
    );
  }
  if (status >= 400) throw new CarrierCallError('CarrierRejected', `carrier rejected the shipment: ${described}`, details);
  throw new CarrierCallError('CarrierResponseInvalid', `carrier answered an unexpected ${status}; the booking state under key ${key} is unknown`, details);
}

function transportError(error: unknown, signal: AbortSignal, timeoutMs: number, key: string, httpStatus?: number): CarrierCallError {
  const base: CallDetails = httpStatus === undefined ? {} : { httpStatus };
  if (signal.aborted) {
    return new CarrierCallError(
      'CarrierUnavailable',
      `carrier did not answer within ${timeoutMs} ms; a booking may exist: retry with the same key ${key}`,
      { ...base, timeoutMs },
      { cause: error },
    );
  }
  const networkCode = networkErrorCode(error);
  return new CarrierCallError(
    'CarrierUnavailable',
    `carrier unreachable${networkCode === undefined ? '' : ` (${networkCode})`}; retry with the same key ${key}`,
    { ...base, ...(networkCode === undefined ? {} : { networkCode }) },
    { cause: error },
  );
}

function parseBooking(text: string, status: number, key: string): BookShipmentOutput {
  const unknownOutcome = (what: string): CarrierCallError =>
    new CarrierCallError(
      'CarrierResponseInvalid',
      `carrier answered ${status} with ${what}; the shipment may or may not be booked under key ${key}`,
      { httpStatus: status },
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw unknownOutcome(text.length === 0 ? 'an empty body' : 'a body that is not JSON');
  }
  const result = BookShipmentOutputSchema.safeParse(body);
  if (!result.success) {
    const issues = contractIssues(result.error)
      .slice(0, 5)
      .map((i) => `${i.path} ${i.code}`)
      .join(', ');
    throw unknownOutcome(`a booking that fails the contract (${issues})`);
  }
  const reported = (body as { status?: unknown }).status;
  if (reported !== undefined && reported !== 'booked') {
    throw unknownOutcome(`status ${typeof reported === 'string' && SAFE_CODE.test(reported) ? reported : '(unreadable)'} instead of booked`);
  }
  return result.data;
}

/** A carrier error code is shown only when it looks like one; anything else could be data. */
const SAFE_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

async function errorCode(response: Response): Promise<string | undefined> {
  try {
    const body = JSON.parse(await response.text()) as { error?: { code?: unknown }; code?: unknown };
    const code = typeof body.error?.code === 'string' ? body.error.code : body.code;
    return typeof code === 'string' && SAFE_CODE.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterSeconds(header: string | null): number | undefined {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return undefined;
  return Number(header.trim());
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`... from a fetch failure's cause chain, when there is one. */
function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
