import { SagaErrors } from '@saga/contracts';
import { StatesError, type LambdaContext, type LambdaHandler } from '@saga/sfn-local';
import type { FunctionName } from '../config.js';
import type { ReviewChoice } from './schedule.js';
import { siteOfFunction, type Site, type SiteName, type WorkflowModel } from './sites.js';

/**
 * Fault kinds, and the injector that applies them to the real handlers of the local stack (through
 * `startLocalStack({ wrapFunction })`), per order id: a fault is decided by (order id, site, attempt
 * number), so schedules run side by side on one stack without touching each other.
 *
 * | kind | what the wrapped handler does on the attempt(s) it covers |
 * | --- | --- |
 * | `transient(E*k)` | throws an error named E (a retriable error of the site) on k attempts in a row, without calling the handler |
 * | `permanent(E)` | throws E (a non-retriable taxonomy error the contracts say the step raises), without calling the handler |
 * | `unknown` | throws an Error named `Boom` (outside the taxonomy: escalates) |
 * | `timeout` | sleeps past the Task's TimeoutSeconds on the execution's (virtual) clock: the function's own timeout, shorter by the stack's margin, stops it first (`Sandbox.Timedout`, as Lambda reports it); the handler never runs |
 * | `crash` | runs the real handler (its side effects commit), then throws `Runtime.ExitError`, as a function process dying after its work does |
 * | `lost-reply` | runs the real handler, then throws `Lambda.ServiceException`: the work is done, the reply is lost, Step Functions retries |
 * | `duplicate` | runs the real handler twice with the same event (at-least-once delivery) and returns the second result |
 */

export type FaultKind =
  | { readonly type: 'transient'; readonly error: string; readonly times: number }
  | { readonly type: 'permanent'; readonly error: string }
  | { readonly type: 'unknown' }
  | { readonly type: 'timeout' }
  | { readonly type: 'crash' }
  | { readonly type: 'lost-reply' }
  | { readonly type: 'duplicate' };

/** A fault on `site`, from its `attempt`-th invocation for the order (1-based) on. */
export interface Fault {
  readonly site: SiteName;
  readonly attempt: number;
  readonly kind: FaultKind;
}

/** The error an `unknown` fault throws. */
export const UNKNOWN_ERROR = 'Boom';
/** What a `crash` throws after the handler committed. */
export const CRASH_ERROR = 'Runtime.ExitError';
/** What a `lost-reply` throws after the handler committed. */
export const LOST_REPLY_ERROR = 'Lambda.ServiceException';

/** How many consecutive attempts a fault covers. */
export function span(kind: FaultKind): number {
  return kind.type === 'transient' ? kind.times : 1;
}

export function formatKind(kind: FaultKind): string {
  switch (kind.type) {
    case 'transient':
      return `transient(${kind.error}*${kind.times})`;
    case 'permanent':
      return `permanent(${kind.error})`;
    default:
      return kind.type;
  }
}

export function formatFault(f: Fault): string {
  return `${f.site}#${f.attempt} ${formatKind(f.kind)}`;
}

const KIND_RE = /^(?:transient\(([\w.]+)\*(\d+)\)|permanent\(([\w.]+)\)|(unknown|timeout|crash|lost-reply|duplicate))$/;

export function parseKind(text: string): FaultKind {
  const m = KIND_RE.exec(text.trim());
  if (!m) throw new Error(`not a fault kind: '${text}'`);
  if (m[1] !== undefined) return { type: 'transient', error: m[1], times: Number(m[2]) };
  if (m[3] !== undefined) return { type: 'permanent', error: m[3] };
  return { type: m[4] as 'unknown' | 'timeout' | 'crash' | 'lost-reply' | 'duplicate' };
}

/**
 * The fault kinds of a site:
 * - for each Retry block, its first non-`States.*` error k times, k = 1 … MaxAttempts + 1 (the last
 *   exhausts the retrier); a retriable taxonomy error of the step that no Retry block names, once;
 * - each non-retriable taxonomy error the contracts say the step raises;
 * - `unknown`, `timeout`; and, for steps with side effects, `crash`, `lost-reply`, `duplicate`.
 */
export function faultKindsOf(site: Site): FaultKind[] {
  const kinds: FaultKind[] = [];
  const covered = new Set<string>();
  for (const r of site.retriers) {
    r.errorEquals.forEach((e) => covered.add(e));
    const error = r.errorEquals.find((e) => !e.startsWith('States.'));
    if (error === undefined) continue;
    for (let k = 1; k <= r.maxAttempts + 1; k++) kinds.push({ type: 'transient', error, times: k });
  }
  for (const e of site.raises) {
    if (SagaErrors[e].retriable && !covered.has(e)) kinds.push({ type: 'transient', error: e, times: 1 });
  }
  for (const e of site.raises) {
    if (!SagaErrors[e].retriable && SagaErrors[e].onFailure !== 'terminal') kinds.push({ type: 'permanent', error: e });
  }
  kinds.push({ type: 'unknown' }, { type: 'timeout' });
  if (site.name !== 'AnalyzeError') kinds.push({ type: 'crash' }, { type: 'lost-reply' }, { type: 'duplicate' });
  return kinds;
}

/** One invocation of a wrapped handler for an order. */
export interface Invocation {
  readonly type: 'invocation';
  /** Position in the order's trace (0-based): decisions are placed at these points. */
  readonly seq: number;
  readonly site: SiteName;
  /** 1-based attempt number of this site for the order. */
  readonly attempt: number;
  /** The Task state that invoked it. */
  readonly state: string;
  /** The fault applied, if any. */
  readonly fault?: Fault;
  /** How the invocation ended, as the engine saw it: `ok`, or the error name; `pending` until it ends. */
  outcome: string;
  /** How many times the real handler ran. */
  realCalls: number;
  /** The real handler returned normally at least once: the step's work is done (committed). */
  committed: boolean;
}

/** The order reached WaitForHumanReview (the runner records it, and what the reviewer did). */
export interface ReviewPoint {
  readonly type: 'review';
  readonly seq: number;
  /** 0-based: the how-many-th review of the order. */
  readonly index: number;
  /** The schedule's decision, or none: the schedule ends with the order waiting. */
  readonly choice?: ReviewChoice;
  readonly failedStep: string;
  readonly error: string;
}

export type TraceItem = Invocation | ReviewPoint;

/** What the injector knows of one order: its faults and what happened. */
export interface OrderPlan {
  readonly orderId: string;
  readonly faults: readonly Fault[];
  /** Every invocation and review, in order. */
  readonly trace: TraceItem[];
  readonly attempts: Map<SiteName, number>;
  /** Handler replacements for this order (the checker's self-test: a deliberately broken handler). */
  readonly overrides?: Partial<Record<SiteName, (real: LambdaHandler) => LambdaHandler>>;
  /**
   * Resolves once no handler is running for the order. An attempt the engine abandoned (a timeout,
   * a failed sibling branch) keeps running, as a Lambda does: its side effects still land.
   */
  idle(): Promise<void>;
}

class PlanState implements OrderPlan {
  readonly trace: TraceItem[] = [];
  readonly attempts = new Map<SiteName, number>();
  running = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly orderId: string, readonly faults: readonly Fault[], readonly overrides?: OrderPlan['overrides']) {}

  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  settle(): void {
    if (--this.running > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/** Applies the planned faults of each order to the real handlers. */
export class FaultInjector {
  private readonly plans = new Map<string, PlanState>();

  constructor(private readonly model: WorkflowModel) {}

  /** Plans an order's faults; its trace fills as it runs. */
  plan(orderId: string, faults: readonly Fault[], overrides?: OrderPlan['overrides']): OrderPlan {
    const plan = new PlanState(orderId, faults, overrides);
    this.plans.set(orderId, plan);
    return plan;
  }

  /** Forgets an order (its trace stays with the caller). */
  release(orderId: string): void {
    this.plans.delete(orderId);
  }

  /** The `wrapFunction` of `startLocalStack`. */
  wrap = (fn: FunctionName, handler: LambdaHandler): LambdaHandler => {
    const site = siteOfFunction(fn);
    return async (event, context) => {
      const plan = this.plans.get(orderIdOf(event) ?? '');
      if (!plan) return handler(event, context);
      const real = plan.overrides?.[site]?.(handler) ?? handler;
      const attempt = (plan.attempts.get(site) ?? 0) + 1;
      plan.attempts.set(site, attempt);
      const fault = plan.faults.find((f) => f.site === site && f.attempt <= attempt && attempt < f.attempt + span(f.kind));
      const entry: Invocation = {
        type: 'invocation',
        seq: plan.trace.length,
        site,
        attempt,
        state: context.invocation.stateName,
        ...(fault ? { fault } : {}),
        outcome: 'pending',
        realCalls: 0,
        committed: false,
      };
      plan.trace.push(entry);
      const callReal = async () => {
        entry.realCalls++;
        const result = await real(structuredClone(event), context);
        entry.committed = true;
        return result;
      };
      plan.running++;
      try {
        const result = await this.apply(fault?.kind, callReal, context);
        entry.outcome = 'ok';
        return result;
      } catch (e) {
        entry.outcome = e instanceof Error ? e.name : 'Error';
        throw e;
      } finally {
        plan.settle();
      }
    };
  };

  private async apply(kind: FaultKind | undefined, callReal: () => Promise<unknown>, context: LambdaContext): Promise<unknown> {
    if (!kind) return callReal();
    switch (kind.type) {
      case 'transient':
        throw kind.error.startsWith('Lambda.') ? lambdaServiceError(kind.error) : named(kind.error, `injected transient ${kind.error}`);
      case 'permanent':
        throw named(kind.error, `injected ${kind.error}`);
      case 'unknown':
        throw named(UNKNOWN_ERROR, 'injected unknown error');
      case 'timeout': {
        const seconds = this.timeoutOf(context.invocation.stateName);
        await context.sleep(seconds * 1000 + 1_000);
        // Not reached while the engine enforces the function's timeout and TimeoutSeconds (either stops it first).
        throw named('States.Timeout', `the handler slept past TimeoutSeconds ${seconds} and the engine did not time it out`);
      }
      case 'crash':
        await callReal();
        throw named(CRASH_ERROR, 'injected crash after the handler returned');
      case 'lost-reply':
        await callReal();
        throw lambdaServiceError(LOST_REPLY_ERROR);
      case 'duplicate':
        try {
          await callReal();
        } catch {
          // the first delivery's outcome is not what the caller sees
        }
        return callReal();
      default:
        return kind satisfies never;
    }
  }

  private timeoutOf(stateName: string): number {
    for (const site of Object.values(this.model.sites)) {
      const t = site.timeoutSeconds[stateName];
      if (t !== undefined) return t;
    }
    throw new Error(`no TimeoutSeconds known for state ${stateName}`);
  }
}

function lambdaServiceError(error: string): StatesError {
  const code = error.replace(/^Lambda\./, '');
  return new StatesError(
    error,
    JSON.stringify({ errorMessage: `injected ${code}`, errorType: code, statusCode: code === 'TooManyRequestsException' ? 429 : 500 }),
  );
}

/** The order a step event is about: `order.orderId` (steps, compensations) or `context.orderId` (AnalyzeError). */
export function orderIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as { order?: { orderId?: unknown }; context?: { orderId?: unknown } };
  const id = e.order?.orderId ?? e.context?.orderId;
  return typeof id === 'string' ? id : undefined;
}

/** True when two faults are the same transient error back to back (together: one longer transient fault). */
export function mergesWith(previous: Fault, next: Fault): boolean {
  return (
    previous.site === next.site &&
    previous.kind.type === 'transient' &&
    next.kind.type === 'transient' &&
    previous.kind.error === next.kind.error &&
    previous.attempt + previous.kind.times === next.attempt
  );
}
