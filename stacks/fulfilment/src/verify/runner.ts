import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ReviewMessageSchema, ReviewOutcomeSchema, type Order, type ReviewOutcome } from '@saga/contracts';
import type { HistoryEvent } from '@saga/sfn-local';
import type { LocalStack } from '../local/local-stack.js';
import { checkRun, type RunFacts, type Violation } from './checks.js';
import type { FaultInjector, OrderPlan, ReviewPoint, TraceItem } from './faults.js';
import { readOrderLedger, seedOrderStock, type OrderLedger } from './ledger.js';
import type { ReviewChoice, Schedule } from './schedule.js';
import type { WorkflowModel } from './sites.js';

/**
 * Runs one schedule on the local stack, the way a client and a reviewer would: StartExecution and
 * SendTaskSuccess through `@aws-sdk/client-sfn` against the engine's endpoint, the faults applied by
 * the injector to the real handlers, a token expiring by moving the execution's virtual clock. Then
 * reads the order's ledger back from the stand-ins and checks the invariants.
 */

/** The outcome of one schedule. */
export interface ScheduleRun {
  readonly schedule: Schedule;
  readonly orderId: string;
  readonly executionArn: string;
  /** The execution's status when the schedule ended. */
  readonly status: string;
  readonly error?: string;
  /** The schedule ended with the order waiting for a reviewer (no decision left). */
  readonly waiting: boolean;
  /** Invocations and reviews, in order. */
  readonly trace: readonly TraceItem[];
  /** Top-level states entered, in order. */
  readonly path: readonly string[];
  readonly ledger: OrderLedger;
  readonly violations: readonly Violation[];
  /** Real time the schedule took. */
  readonly ms: number;
  /** Where that time went: seeding its stock, the execution (reviews included), reading and checking the ledger. */
  readonly phases: { readonly seedMs: number; readonly executionMs: number; readonly checkMs: number };
}

export interface RunnerOptions {
  /** Order ids are `<prefix>-<n>` (unique per stack). */
  readonly idPrefix: string;
  /** Give up on one schedule after this long, real time (a hang is a violation). @default 60 s */
  readonly hangMs?: number;
  /** Replaces handlers for the orders of this runner (the checker's self-test). */
  readonly overrides?: OrderPlan['overrides'];
}

interface ReviewMessage {
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

/** The review requests the queue gets, by execution. */
class ReviewWatch {
  private readonly arrived = new Map<string, ReviewMessage[]>();
  private readonly waiters = new Map<string, (m: ReviewMessage) => void>();
  readonly stop: () => void;

  constructor(stack: LocalStack) {
    this.stop = stack.outboxes.onRecord((record) => {
      if (record.kind !== 'sqs' || record.target !== stack.queueUrl) return;
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(record.record.Body) as Record<string, unknown>;
      } catch {
        return;
      }
      const arn = typeof body['executionArn'] === 'string' ? body['executionArn'] : '';
      const message = { body, raw: record.record.Body };
      const waiter = this.waiters.get(arn);
      if (waiter) {
        this.waiters.delete(arn);
        waiter(message);
      } else this.arrived.set(arn, [...(this.arrived.get(arn) ?? []), message]);
    });
  }

  next(executionArn: string): { promise: Promise<ReviewMessage>; cancel: () => void } {
    const queued = this.arrived.get(executionArn);
    if (queued?.length) {
      const m = queued.shift()!;
      if (queued.length === 0) this.arrived.delete(executionArn);
      return { promise: Promise.resolve(m), cancel: () => undefined };
    }
    const promise = new Promise<ReviewMessage>((resolve) => this.waiters.set(executionArn, resolve));
    return { promise, cancel: () => this.waiters.delete(executionArn) };
  }

  forget(executionArn: string): void {
    this.arrived.delete(executionArn);
    this.waiters.delete(executionArn);
  }
}

export class ScheduleRunner {
  private readonly watch: ReviewWatch;
  private readonly topLevel: ReadonlySet<string>;
  private count = 0;

  constructor(
    readonly stack: LocalStack,
    readonly model: WorkflowModel,
    readonly injector: FaultInjector,
    readonly options: RunnerOptions,
  ) {
    this.watch = new ReviewWatch(stack);
    this.topLevel = new Set(Object.keys(model.definition.States));
  }

  close(): void {
    this.watch.stop();
  }

  async run(schedule: Schedule): Promise<ScheduleRun> {
    const t0 = performance.now();
    const orderId = `${this.options.idPrefix}-${(++this.count).toString(36)}`;
    const order = verifyOrder(orderId);
    const plan = this.injector.plan(orderId, schedule.faults, this.options.overrides);
    try {
      await seedOrderStock(this.stack, order);
      const t1 = performance.now();
      const { executionArn } = await this.stack.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stack.stateMachineArn, name: orderId, input: JSON.stringify({ order }) }),
      );
      const arn = executionArn!;
      const ended = this.stack.engine.service.waitForExecution(arn);
      const facts: Omit<RunFacts, 'status' | 'error' | 'history' | 'ledger' | 'trace' | 'waiting'> = {
        order,
        schedule,
        reviews: [],
        topLevel: this.topLevel,
        compensationStates: this.model.compensationStates,
        model: this.model,
      };
      let waiting = false;
      const deadline = performance.now() + (this.options.hangMs ?? 60_000);
      let hung = false;
      for (;;) {
        const review = this.watch.next(arn);
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<'hang'>((resolve) => {
          timer = setTimeout(() => resolve('hang'), Math.max(0, deadline - performance.now()));
        });
        const next = await Promise.race([ended.then(() => 'ended' as const), review.promise, hang]);
        clearTimeout(timer);
        if (next === 'ended') {
          review.cancel();
          break;
        }
        if (next === 'hang') {
          review.cancel();
          hung = true;
          break;
        }
        // Let the engine finish arming the task (its heartbeat timer) before anyone answers.
        await new Promise((r) => setImmediate(r));
        const index = facts.reviews.length;
        const choice = schedule.reviews[index];
        const request = ReviewMessageSchema.safeParse(next.body);
        await within(plan.idle(), this.options.hangMs ?? 60_000);
        const ledger = await readOrderLedger(this.stack, order);
        const history = this.stack.engine.service.history(arn);
        const point: ReviewPoint = {
          type: 'review',
          seq: plan.trace.length,
          index,
          ...(choice ? { choice } : {}),
          failedStep: String(next.body['failedStep']),
          error: String((next.body['errorInfo'] as { Error?: unknown } | undefined)?.Error ?? '?'),
        };
        plan.trace.push(point);
        facts.reviews.push({
          point,
          requestIssues: request.success ? [] : request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
          ledger,
          stateData: reviewStateData(history),
          expectedFailedStep: escalatedFrom(history, this.topLevel),
        });
        if (!choice) {
          waiting = true;
          break;
        }
        await this.decide(arn, choice, String(next.body['taskToken']));
      }
      this.watch.forget(arn);
      const t2 = performance.now();
      await within(plan.idle(), this.options.hangMs ?? 60_000);
      const described = this.stack.engine.service.describeExecution({ executionArn: arn });
      const history = this.stack.engine.service.history(arn);
      const ledger = await readOrderLedger(this.stack, order);
      const status = hung && described.status === 'RUNNING' ? 'HUNG' : described.status!;
      const all: RunFacts = {
        ...facts,
        status,
        ...(described.error ? { error: described.error } : {}),
        waiting,
        history,
        ledger,
        trace: plan.trace,
      };
      return {
        schedule,
        orderId,
        executionArn: arn,
        status,
        ...(described.error ? { error: described.error } : {}),
        waiting,
        trace: plan.trace,
        path: history
          .filter((e) => e.type.endsWith('StateEntered'))
          .map((e) => stateName(e))
          .filter((n) => this.topLevel.has(n)),
        ledger,
        violations: checkRun(all),
        ms: performance.now() - t0,
        phases: { seedMs: t1 - t0, executionMs: t2 - t1, checkMs: performance.now() - t2 },
      };
    } finally {
      this.injector.release(orderId);
    }
  }

  /** The reviewer's decision: SendTaskSuccess with a ReviewOutcome, or the token left to expire. */
  private async decide(executionArn: string, choice: ReviewChoice, taskToken: string): Promise<void> {
    if (choice === 'expire') {
      const clock = this.stack.engine.service.clockOf(executionArn);
      if (!clock) throw new Error(`no clock for ${executionArn}`);
      // Nobody answers or heartbeats: the first of HeartbeatSeconds and TimeoutSeconds passes.
      const { timeoutSeconds, heartbeatSeconds } = this.model.review;
      clock.advance((Math.min(timeoutSeconds, heartbeatSeconds ?? Infinity) + 1) * 1000);
      return;
    }
    const outcome: ReviewOutcome = ReviewOutcomeSchema.parse({
      outcome: choice,
      reviewer: 'fault-schedule explorer',
      note: `schedule decision: ${choice}`,
      decidedAt: new Date().toISOString(),
    });
    await this.stack.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(outcome) }));
  }
}

/** An order of its own: two lines on SKUs nobody else orders, a card that works. */
export function verifyOrder(orderId: string): Order {
  return {
    orderId,
    customer: {
      id: 'cus_verify',
      name: 'Vera Fier',
      email: 'vera@example.com',
      shippingAddress: { line1: '1 Check Street', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    },
    lines: [
      { sku: `${orderId}-A`, quantity: 2, unitPrice: 1250 },
      { sku: `${orderId}-B`, quantity: 1, unitPrice: 899 },
    ],
    currency: 'gbp',
    payment: { paymentMethodId: 'pm_card_visa' },
  };
}

/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function stateName(e: HistoryEvent): string {
  return (e as { stateEnteredEventDetails?: { name?: string } }).stateEnteredEventDetails?.name ?? '';
}

/** The state data WaitForHumanReview was entered with (the last time). */
function reviewStateData(history: readonly HistoryEvent[]): Record<string, unknown> | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.type === 'TaskStateEntered' && stateName(e) === 'WaitForHumanReview') {
      const input = (e as { stateEnteredEventDetails?: { input?: string } }).stateEnteredEventDetails?.input;
      try {
        return input === undefined ? undefined : (JSON.parse(input) as Record<string, unknown>);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The top-level state whose failure led to the last AnalyzeError: what the review must name as failedStep. */
function escalatedFrom(history: readonly HistoryEvent[], topLevel: ReadonlySet<string>): string | undefined {
  let previous: string | undefined;
  let answer: string | undefined;
  for (const e of history) {
    if (!e.type.endsWith('StateEntered')) continue;
    const name = stateName(e);
    if (!topLevel.has(name)) continue;
    if (name === 'AnalyzeError') answer = previous;
    if (name !== 'AnalyzeError' && name !== 'WaitForHumanReview') previous = name;
  }
  return answer;
}
