/**
 * Fault injection for the local Stripe server: scripted 429s, 500s, dropped connections, card declines
 * and delays, matched by method and path and consumed a given number of times.
 */

/** What a fault does to a matching request. */
export type StripeFaultKind = '429' | '500' | 'drop' | 'decline' | 'delay';

/** The fault kinds, as a list. */
export const StripeFaultKinds = ['429', '500', 'drop', 'decline', 'delay'] as const satisfies readonly StripeFaultKind[];

/** Which requests a fault applies to. Omitted fields match anything. */
export interface StripeFaultMatch {
  /** HTTP method, case-insensitive (`POST`). */
  method?: string;
  /**
   * The request path without its query: exact (`/v1/refunds`), or with `*` / `:name` standing for one
   * segment (`/v1/payment_intents/*\/capture`, `/v1/payment_intents/:id/cancel`).
   */
  path?: string;
}

/** A fault to inject (the programmatic API and the body of `POST /__admin/faults`). */
export interface StripeFaultSpec {
  kind: StripeFaultKind;
  match?: StripeFaultMatch;
  /** How many matching requests it applies to; `'always'` (or `Infinity`) never runs out. @default 1 */
  times?: number | 'always';
  /**
   * Milliseconds to wait before acting. For `delay` the request then proceeds normally (a client timeout
   * shorter than this sees a timeout while the server still executes the request). @default 1000 for `delay`, else 0
   */
  delayMs?: number;
  /** `decline` only: the decline code of the card error. @default 'generic_decline' */
  declineCode?: string;
  /** `429` / `500` only: send `Stripe-Should-Retry: true|false` (the SDK obeys it). @default no header */
  shouldRetry?: boolean;
  /**
   * `500` / `drop` only: execute the request first, then answer 500 or drop the connection, so the client
   * cannot tell whether it happened (a retry with the same idempotency key then replays the result).
   * @default false (the request is refused before anything happens)
   */
  afterProcessing?: boolean;
}

/** An injected fault and how many more times it applies. */
export interface StripeFault {
  readonly id: string;
  readonly kind: StripeFaultKind;
  readonly match: StripeFaultMatch;
  /** Remaining applications; `null` means unlimited. */
  readonly remaining: number | null;
  readonly delayMs: number;
  readonly declineCode?: string;
  readonly shouldRetry?: boolean;
  readonly afterProcessing: boolean;
  /** How many requests it has applied to so far. */
  readonly applied: number;
}

/** Thrown for an invalid fault spec (the admin endpoint answers 400 with its message). */
export class StripeFaultSpecError extends Error {
  override readonly name = 'StripeFaultSpecError';
}

interface MutableFault {
  id: string;
  kind: StripeFaultKind;
  match: StripeFaultMatch;
  remaining: number | null;
  delayMs: number;
  declineCode?: string;
  shouldRetry?: boolean;
  afterProcessing: boolean;
  applied: number;
}

/** The faults of one server. */
export class StripeFaults {
  #faults: MutableFault[] = [];
  #seq = 0;

  /** Adds a fault; it applies to the next `times` matching requests, after any earlier faults. */
  inject(spec: StripeFaultSpec): StripeFault {
    const fault = validateSpec(spec, `flt_${String(++this.#seq).padStart(4, '0')}`);
    this.#faults.push(fault);
    return snapshot(fault);
  }

  /** The faults that still apply. */
  list(): StripeFault[] {
    return this.#faults.map(snapshot);
  }

  /** Removes one fault by id (returns whether it existed), or all of them. */
  clear(id?: string): boolean {
    if (id === undefined) {
      const had = this.#faults.length > 0;
      this.#faults = [];
      return had;
    }
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  /**
   * Takes the first fault that matches the request among `kinds`, consuming one application.
   * @internal used by the server
   */
  take(method: string, path: string, kinds: readonly StripeFaultKind[]): StripeFault | undefined {
    const fault = this.#faults.find((f) => kinds.includes(f.kind) && matches(f.match, method, path));
    if (!fault) return undefined;
    fault.applied++;
    if (fault.remaining !== null) {
      fault.remaining--;
      if (fault.remaining <= 0) this.#faults = this.#faults.filter((f) => f !== fault);
    }
    return snapshot(fault);
  }
}

/** Whether a request matches a fault's (or a log filter's) method and path. */
export function matchesRequest(match: StripeFaultMatch, method: string, path: string): boolean {
  return matches(match, method, path);
}

function matches(match: StripeFaultMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  const want = match.path.split('?')[0]!.replace(/\/+$/, '').split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return false;
  return want.every((segment, i) => segment === '*' || segment.startsWith(':') || segment === got[i]);
}

function snapshot(f: MutableFault): StripeFault {
  return { ...f, match: { ...f.match } };
}

function validateSpec(spec: StripeFaultSpec, id: string): MutableFault {
  if (spec === null || typeof spec !== 'object') throw new StripeFaultSpecError('a fault must be an object');
  const { kind, match = {}, times = 1, delayMs, declineCode, shouldRetry, afterProcessing = false } = spec;
  if (!(StripeFaultKinds as readonly string[]).includes(kind)) {
    throw new StripeFaultSpecError(`kind must be one of ${StripeFaultKinds.join(', ')}`);
  }
  if (match === null || typeof match !== 'object') throw new StripeFaultSpecError('match must be an object');
  if (match.method !== undefined && (typeof match.method !== 'string' || !/^[A-Za-z]+$/.test(match.method))) {
    throw new StripeFaultSpecError('match.method must be an HTTP method');
  }
  if (match.path !== undefined && (typeof match.path !== 'string' || !match.path.startsWith('/'))) {
    throw new StripeFaultSpecError('match.path must be a path starting with /');
  }
  let remaining: number | null;
  if (times === 'always' || times === Number.POSITIVE_INFINITY) remaining = null;
  else if (typeof times === 'number' && Number.isInteger(times) && times >= 1) remaining = times;
  else throw new StripeFaultSpecError("times must be a positive integer or 'always'");
  const delay = delayMs ?? (kind === 'delay' ? 1000 : 0);
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0 || delay > 600_000) {
    throw new StripeFaultSpecError('delayMs must be a number between 0 and 600000');
  }
  if (declineCode !== undefined && (kind !== 'decline' || typeof declineCode !== 'string' || !/^[a-z_]{1,64}$/.test(declineCode))) {
    throw new StripeFaultSpecError('declineCode is a snake_case code, for decline faults only');
  }
  if (shouldRetry !== undefined && (typeof shouldRetry !== 'boolean' || (kind !== '429' && kind !== '500'))) {
    throw new StripeFaultSpecError('shouldRetry is a boolean, for 429 and 500 faults only');
  }
  if (typeof afterProcessing !== 'boolean' || (afterProcessing && kind !== '500' && kind !== 'drop')) {
    throw new StripeFaultSpecError('afterProcessing is a boolean, for 500 and drop faults only');
  }
  const fault: MutableFault = {
    id,
    kind,
    match: {
      ...(match.method === undefined ? {} : { method: match.method.toUpperCase() }),
      ...(match.path === undefined ? {} : { path: match.path }),
    },
    remaining,
    delayMs: delay,
    afterProcessing,
    applied: 0,
  };
  if (kind === 'decline') fault.declineCode = declineCode ?? 'generic_decline';
  if (shouldRetry !== undefined) fault.shouldRetry = shouldRetry;
  return fault;
}
