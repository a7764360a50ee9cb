import { dispositionOf, type Order } from '@saga/contracts';
import type { HistoryEvent } from '@saga/sfn-local';
import { isDeepStrictEqual } from 'node:util';
import type { ReviewPoint, TraceItem } from './faults.js';
import { describeLedger, sameLedger, type OrderLedger } from './ledger.js';
import type { Schedule } from './schedule.js';
import type { WorkflowModel } from './sites.js';

/**
 * The invariants checked after each schedule, against the order's ledger (read back from the
 * stand-ins), the execution's status and history, and what the reviewer saw.
 *
 * Violations (any one fails the run):
 * - nothing twice: no double charge, no double refund, no double reservation, no double shipment;
 * - stock is conserved: the units off the shelf are exactly what a live reservation holds;
 * - every execution ends SUCCEEDED, FAILED with OrderFulfillmentFailed, or (only when the schedule
 *   leaves it there) RUNNING waiting for review;
 * - a fulfilled order is charged once in full, keeps its reservation, is shipped once and has its receipt;
 * - a failed order holds no money (charged ⇒ refunded, no authorisation left) and no stock — unless a
 *   reviewer chose "fail" (a person handles it outside the saga): then the saga must leave the order
 *   exactly as the review found it;
 * - every review message is a valid ReviewMessage naming the failed state, with the order's data intact;
 * - a failing compensation reaches review (its Parallel fails into AnalyzeError), never swallowed;
 * - errors go where the taxonomy says: a review is for an `escalate` error, a failure without review
 *   for a `compensate` one.
 *
 * Warnings (reported, not failing, unless `--strict`): what the saga cannot undo by design (BookShipment
 * and EmitReceipt have no compensation): a failed order with a shipment booked or a receipt written.
 */

export type Severity = 'violation' | 'warning';

export interface Violation {
  readonly rule: string;
  readonly severity: Severity;
  readonly detail: string;
}

export interface ReviewFacts {
  readonly point: ReviewPoint;
  /** Issues of the review message against the contracts' ReviewMessageSchema (the wire format). */
  readonly requestIssues: readonly string[];
  /** The ledger when the review was reached. */
  readonly ledger: OrderLedger;
  /** The state data WaitForHumanReview was entered with. */
  readonly stateData: Record<string, unknown> | undefined;
  /** The top-level state whose failure led to this review. */
  readonly expectedFailedStep: string | undefined;
}

export interface RunFacts {
  readonly order: Order;
  readonly schedule: Schedule;
  /** Execution status, or `HUNG` (neither ended nor waiting for review in time). */
  readonly status: string;
  readonly error?: string;
  readonly waiting: boolean;
  readonly reviews: ReviewFacts[];
  readonly history: readonly HistoryEvent[];
  readonly ledger: OrderLedger;
  readonly trace: readonly TraceItem[];
  readonly topLevel: ReadonlySet<string>;
  /** The top-level states that run compensations (`WorkflowModel.compensationStates`). */
  readonly compensationStates: ReadonlySet<string>;
  readonly model: WorkflowModel;
}

export const RULES = {
  doubleCharge: 'no double charge',
  doubleRefund: 'no double refund',
  doubleReservation: 'no double reservation',
  doubleShipment: 'no double shipment',
  stock: 'stock is conserved',
  ends: 'every execution ends SUCCEEDED, FAILED(OrderFulfillmentFailed) or waiting for review',
  fulfilled: 'a fulfilled order is charged once, reserved, shipped once and receipted',
  charged: 'no order charged without being fulfilled or refunded',
  compensated: 'a failed order is fully compensated',
  reviewerFail: "a reviewer's fail leaves the order as the review found it",
  reviewRequest: 'a review request is valid, names the failed state and keeps the order data',
  compensationEscalates: 'a failing compensation reaches review',
  taxonomy: 'errors are handled as the taxonomy says',
  failedReceipt: 'a failed order has no receipt (EmitReceipt has no compensation)',
  failedShipment: 'a failed order has no shipment (BookShipment has no compensation)',
} as const;

export function checkRun(f: RunFacts): Violation[] {
  const out: Violation[] = [];
  const fail = (rule: string, detail: string, severity: Severity = 'violation') => out.push({ rule, severity, detail });
  const l = f.ledger;
  const ledgerText = describeLedger(l);

  // ---- nothing twice, stock conserved
  if (l.paymentIntents > 1 || l.captures > 1 || l.captured > l.total) fail(RULES.doubleCharge, ledgerText);
  if (l.refunds > 1 || l.refunded > l.captured) fail(RULES.doubleRefund, ledgerText);
  if (Object.entries(l.taken).some(([sku, n]) => n > l.ordered[sku]!)) fail(RULES.doubleReservation, ledgerText);
  if (l.shipments > 1) fail(RULES.doubleShipment, ledgerText);
  const held = l.reservation === 'reserved';
  if (Object.entries(l.taken).some(([sku, n]) => n !== (held ? l.ordered[sku]! : 0))) fail(RULES.stock, ledgerText);

  // ---- how it ended
  const lastReview = f.reviews.at(-1);
  const failedByReviewer = f.status === 'FAILED' && lastReview?.point.choice === 'fail';
  const outcome = `${f.status}${f.error ? ` ${f.error}` : ''}`;
  if (f.status === 'SUCCEEDED') {
    if (
      l.captured !== l.total ||
      l.refunded !== 0 ||
      l.paymentIntents !== 1 ||
      l.reservation !== 'reserved' ||
      !l.receipt ||
      l.shipments !== 1
    ) {
      fail(RULES.fulfilled, ledgerText);
    }
  } else if (f.status === 'FAILED' && f.error === 'OrderFulfillmentFailed') {
    if (failedByReviewer) {
      if (!sameLedger(lastReview!.ledger, l)) {
        fail(RULES.reviewerFail, `at review: ${describeLedger(lastReview!.ledger)}; at the end: ${ledgerText}`);
      }
    } else {
      if (l.captured !== l.refunded) fail(RULES.charged, ledgerText);
      if (l.authorisedOutstanding > 0 || l.reservation === 'reserved') fail(RULES.compensated, ledgerText);
      if (l.receipt) fail(RULES.failedReceipt, ledgerText, 'warning');
      if (l.shipments > 0) fail(RULES.failedShipment, ledgerText, 'warning');
    }
  } else if (!(f.status === 'RUNNING' && f.waiting)) {
    fail(RULES.ends, `${outcome}${f.status === 'RUNNING' ? ' (not waiting for review)' : ''}`);
  }

  // ---- reviews
  for (const r of f.reviews) {
    const where = `review #${r.point.index + 1}`;
    const problems = [...r.requestIssues];
    if (r.expectedFailedStep !== undefined && r.point.failedStep !== r.expectedFailedStep) {
      problems.push(`failedStep ${r.point.failedStep}, but ${r.expectedFailedStep} failed`);
    }
    if (!isDeepStrictEqual(r.stateData?.['order'], f.order)) problems.push('the state data no longer holds the order as started');
    if (problems.length > 0) fail(RULES.reviewRequest, `${where}: ${problems.join('; ')}`);
    if (dispositionOf(r.point.error) !== 'escalate') {
      fail(RULES.taxonomy, `${where} is for ${r.point.error}, whose disposition is ${dispositionOf(r.point.error)}`);
    }
  }
  if (f.status === 'FAILED' && f.error === 'OrderFulfillmentFailed' && f.reviews.length === 0) {
    const cause = failureCause(f.history);
    if (cause !== undefined && dispositionOf(cause) !== 'compensate') {
      fail(RULES.taxonomy, `failed without review after ${cause}, whose disposition is ${dispositionOf(cause)}`);
    }
  }

  // ---- compensations
  for (const round of compensationRounds(f.history, f.topLevel, f.compensationStates)) {
    if (round.failedTasks.length === 0) continue;
    if (!round.parallelFailed || round.next !== 'AnalyzeError') {
      fail(
        RULES.compensationEscalates,
        `${round.name}: ${round.failedTasks.join(', ')} failed, the Parallel ${round.parallelFailed ? 'failed' : 'succeeded'}, then ${
          round.next ?? 'nothing'
        }`,
      );
    }
  }
  return out;
}

/** `Error` of the execution's final cause (`errorInfo`), if readable. */
function failureCause(history: readonly HistoryEvent[]): string | undefined {
  const failed = history.findLast((e) => e.type === 'ExecutionFailed') as { executionFailedEventDetails?: { cause?: string } } | undefined;
  try {
    const info = JSON.parse(failed?.executionFailedEventDetails?.cause ?? '') as { Error?: unknown };
    return typeof info.Error === 'string' ? info.Error : undefined;
  } catch {
    return undefined;
  }
}

interface CompensationRound {
  readonly name: string;
  /** Branch Task states entered that never exited (their last attempt failed). */
  readonly failedTasks: string[];
  readonly parallelFailed: boolean;
  /** The top-level state entered after the round. */
  readonly next: string | undefined;
}

/**
 * Each run of a `CompensateThrough…` Parallel state, from the history. Other Parallels (a step made of
 * several states, such as ChargePayment) end the round before them and start none.
 */
export function compensationRounds(
  history: readonly HistoryEvent[],
  topLevel: ReadonlySet<string>,
  compensations: ReadonlySet<string>,
): CompensationRound[] {
  const rounds: CompensationRound[] = [];
  let open: { name: string; entered: Map<string, number>; result?: 'failed' | 'succeeded' } | undefined;
  const close = (next: string | undefined) => {
    if (!open) return;
    rounds.push({
      name: open.name,
      failedTasks: [...open.entered].filter(([, n]) => n > 0).map(([s]) => s),
      parallelFailed: open.result === 'failed',
      next,
    });
    open = undefined;
  };
  for (const e of history) {
    const details = e as { stateEnteredEventDetails?: { name?: string }; stateExitedEventDetails?: { name?: string } };
    if (e.type === 'ParallelStateEntered') {
      const name = details.stateEnteredEventDetails?.name ?? '?';
      if (!topLevel.has(name)) continue; // a Parallel nested in a branch
      close(name);
      if (compensations.has(name)) open = { name, entered: new Map() };
      continue;
    }
    if (!open) continue;
    if (e.type === 'TaskStateEntered') {
      const n = details.stateEnteredEventDetails?.name ?? '?';
      if (topLevel.has(n)) close(n);
      else open.entered.set(n, (open.entered.get(n) ?? 0) + 1);
    } else if (e.type === 'TaskStateExited') {
      const n = details.stateExitedEventDetails?.name ?? '?';
      if (open.entered.has(n)) open.entered.set(n, open.entered.get(n)! - 1);
    } else if (e.type === 'ParallelStateFailed') open.result = 'failed';
    else if (e.type === 'ParallelStateSucceeded') open.result = 'succeeded';
    else if (e.type.endsWith('StateEntered')) {
      const n = details.stateEnteredEventDetails?.name ?? '?';
      if (topLevel.has(n)) close(n);
    }
  }
  close(undefined);
  return rounds;
}
