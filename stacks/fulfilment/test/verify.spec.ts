import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/bundles.js';
import { synthesizedFile } from '../src/local/terraform.js';
import type { HistoryEvent } from '@saga/sfn-local';
import { checkRun, RULES, type RunFacts } from '../src/verify/checks.js';
import { explore } from '../src/verify/explore.js';
import { faultKindsOf } from '../src/verify/faults.js';
import type { OrderLedger } from '../src/verify/ledger.js';
import { verifyOrder } from '../src/verify/runner.js';
import { formatSchedule, parseSchedule } from '../src/verify/schedule.js';
import { startVerifier, type Verifier } from '../src/verify/verifier.js';

/**
 * The fault-schedule explorer on the synthesized stack (cdktf.out, made by this project's `synth`
 * target before its tests, with the apps' real bundles) and DynamoDB Local: a small slice of what
 * `npm run verify` explores, and proof that the checker catches a broken handler.
 */

if (!existsSync(synthesizedFile(REPO_ROOT, 'dev'))) throw new Error('cdktf.out is missing: run `npx nx run @saga/stack-fulfilment:synth`');

describe('the fault-schedule explorer', { timeout: 120_000 }, () => {
  let verifier: Verifier;

  beforeAll(async () => {
    verifier = await startVerifier({ seed: 7 });
  }, 90_000);

  afterAll(async () => {
    await verifier?.close();
  });

  it('every single-fault schedule at ReserveStock and BookShipment, every reviewer choice: every invariant holds', async () => {
    const report = await explore(verifier.runner({ idPrefix: 'vt-single' }), {
      depth: 1,
      sites: ['ReserveStock', 'BookShipment'],
      concurrency: 24,
    });
    const kinds = faultKindsOf(verifier.model.sites.ReserveStock).length + faultKindsOf(verifier.model.sites.BookShipment).length;
    expect(report.byDepth[1]).toBeGreaterThan(kinds); // each fault once, plus its reviewer choices
    expect(Object.keys(report.outcomes).sort()).toEqual(['FAILED OrderFulfillmentFailed', 'SUCCEEDED', 'waiting for review']);
    expect(report.violations.map((v) => `${v.rule}: ${formatSchedule(v.shortest.run.schedule)} (${v.shortest.detail})`)).toEqual([]);
  });

  it('every single-fault schedule at ChargePayment and RefundPayment (the payment subflows), every reviewer choice: every invariant holds', async () => {
    const report = await explore(verifier.runner({ idPrefix: 'vt-pay' }), {
      depth: 1,
      sites: ['ChargePayment', 'RefundPayment'],
      concurrency: 24,
    });
    // ChargePayment's function runs three times an order (create, confirm, capture): faults at each.
    expect(verifier.model.sites.ChargePayment.states).toEqual(['AuthorisePayment', 'CapturePayment']);
    expect([...verifier.model.compensationStates].sort()).toEqual(['CompensateThroughChargePayment', 'CompensateThroughReserveStock']);
    expect(report.byDepth[1]).toBeGreaterThan(3 * faultKindsOf(verifier.model.sites.ChargePayment).length);
    expect(report.violations.map((v) => `${v.rule}: ${formatSchedule(v.shortest.run.schedule)} (${v.shortest.detail})`)).toEqual([]);
  });

  it('a retriable error exhausting its retrier escalates to review, one within MaxAttempts does not', async () => {
    const runner = verifier.runner({ idPrefix: 'vt-retry' });
    const within = await runner.run(parseSchedule('BookShipment#1 transient(CarrierRateLimited*5)'));
    const beyond = await runner.run(parseSchedule('BookShipment#1 transient(CarrierRateLimited*6)'));
    expect(within).toMatchObject({ status: 'SUCCEEDED', waiting: false, violations: [] });
    expect(beyond).toMatchObject({ status: 'RUNNING', waiting: true, violations: [] });
    expect(beyond.trace.at(-1)).toMatchObject({ type: 'review', failedStep: 'BookShipment', error: 'CarrierRateLimited' });
  });

  it("a hung function is stopped by its own timeout (Sandbox.Timedout, as on AWS) before the Task's TimeoutSeconds; an expired review token compensates", async () => {
    const run = await verifier.runner({ idPrefix: 'vt-timeout' }).run(parseSchedule('ReserveStock#1 timeout | review: expire'));
    expect(run.trace.find((t) => t.type === 'review')).toMatchObject({
      failedStep: 'ReserveStock',
      error: 'Sandbox.Timedout',
      choice: 'expire',
    });
    expect(run).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed', violations: [] });
    expect(run.ledger).toMatchObject({ captured: 3399, refunded: 3399, reservation: 'none' });
  });

  it('a hung carrier call is retried: BookShipment retries the function timeout', async () => {
    const run = await verifier.runner({ idPrefix: 'vt-ship-timeout' }).run(parseSchedule('BookShipment#1 timeout'));
    expect(run).toMatchObject({ status: 'SUCCEEDED', waiting: false, violations: [] });
  });

  it('catches a compensation that claims success without undoing anything, with the shortest schedule', async () => {
    // A broken ReleaseStock: answers "released" and leaves the reservation (and the stock) as it is.
    const broken = () => async () => ({ outcome: 'released', reservationId: 'rsv_broken' });
    const report = await explore(verifier.runner({ idPrefix: 'vt-broken', overrides: { ReleaseStock: broken } }), {
      depth: 1,
      sites: ['BookShipment'],
      concurrency: 24,
    });
    const rule = report.violations.find((v) => v.rule === RULES.compensated);
    expect(rule, 'the broken ReleaseStock goes unnoticed').toBeDefined();
    expect(rule!.schedules).toBeGreaterThan(1);
    // The shortest of the schedules that break the rule: one known failure, no reviewer involved.
    expect(rule!.shortest.run.schedule.faults).toHaveLength(1);
    expect(rule!.shortest.run.schedule.reviews).toEqual([]);
    expect(rule!.shortest.run.schedule.faults[0]).toMatchObject({ site: 'BookShipment', kind: { type: 'permanent' } });
    expect(rule!.shortest.detail).toMatch(/reservation reserved/);
  });

  it('catches a handler that charges twice', async () => {
    const { stack } = verifier;
    // A broken ChargePayment: charges through the real handler, then once more straight at Stripe.
    const broken = (real: (e: never, c: never) => unknown) => async (event: unknown, context: unknown) => {
      const result = await real(event as never, context as never);
      const { order } = event as { order: { orderId: string } };
      const response = await fetch(`${stack.stripe.url}/v1/payment_intents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.stripe.apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          amount: '3399',
          currency: 'gbp',
          confirm: 'true',
          payment_method: 'pm_card_visa',
          'metadata[orderId]': order.orderId,
        }),
      });
      expect(response.status).toBe(200);
      return result;
    };
    const run = await verifier
      .runner({ idPrefix: 'vt-double', overrides: { ChargePayment: broken as never } })
      .run(parseSchedule('no fault'));
    expect(run.status).toBe('SUCCEEDED');
    expect(run.violations.map((v) => v.rule)).toEqual(expect.arrayContaining([RULES.doubleCharge, RULES.fulfilled]));
  });

  // Found by the explorer: after a compensation failed, the review's "compensate" (and a token that
  // expires, which takes the same Catch) used to skip it, ending the order FAILED still charged.
  // The saga now runs the failed compensation again.
  it('a failed refund reviewed "compensate" runs the refund again: the order ends refunded', async () => {
    const run = await verifier
      .runner({ idPrefix: 'vt-bug' })
      .run(parseSchedule('ReserveStock#1 permanent(OutOfStock), RefundPayment#1 permanent(CompensationFailed) | review: compensate'));
    expect(run.violations).toEqual([]);
  });
});

describe('the checker, on made-up facts', () => {
  const order = verifyOrder('ord-facts');
  const refunded: OrderLedger = {
    total: 3399,
    paymentIntents: 1,
    captures: 1,
    authorisedOutstanding: 0,
    captured: 3399,
    refunded: 3399,
    refunds: 1,
    reservation: 'released',
    taken: { 'ord-facts-A': 0, 'ord-facts-B': 0 },
    ordered: { 'ord-facts-A': 2, 'ord-facts-B': 1 },
    receipt: false,
    shipments: 0,
  };
  let id = 0;
  const entered = (type: string, name: string) => ({ id: ++id, type, stateEnteredEventDetails: { name } } as unknown as HistoryEvent);
  const event = (type: string, name?: string) =>
    ({ id: ++id, type, ...(name ? { stateExitedEventDetails: { name } } : {}) } as unknown as HistoryEvent);
  const facts = (history: HistoryEvent[], ledger = refunded): RunFacts => ({
    order,
    schedule: parseSchedule('ReserveStock#1 permanent(OutOfStock), ReleaseStock#1 permanent(CompensationFailed)'),
    status: 'FAILED',
    error: 'OrderFulfillmentFailed',
    waiting: false,
    reviews: [],
    history,
    ledger,
    trace: [],
    topLevel: new Set([
      'ChargePayment',
      'ReserveStock',
      'CompensateThroughReserveStock',
      'AnalyzeError',
      'WaitForHumanReview',
      'NotifyFailure',
    ]),
    compensationStates: new Set(['CompensateThroughReserveStock']),
    model: undefined as never,
  });

  it('reports a compensation whose failure the workflow swallowed (its Parallel succeeded)', () => {
    const history = [
      entered('ParallelStateEntered', 'CompensateThroughReserveStock'),
      entered('TaskStateEntered', 'ReleaseStockThroughReserveStock'),
      entered('TaskStateEntered', 'RefundPaymentThroughReserveStock'),
      event('TaskSucceeded'),
      event('TaskStateExited', 'RefundPaymentThroughReserveStock'),
      event('TaskFailed'),
      event('ParallelStateSucceeded'),
      event('ParallelStateExited', 'CompensateThroughReserveStock'),
      entered('TaskStateEntered', 'NotifyFailure'),
    ];
    const violations = checkRun(facts(history));
    expect(violations.map((v) => v.rule)).toContain(RULES.compensationEscalates);
    expect(violations.find((v) => v.rule === RULES.compensationEscalates)!.detail).toMatch(/ReleaseStockThroughReserveStock failed/);
  });

  it('accepts a failing compensation whose Parallel fails into AnalyzeError', () => {
    const history = [
      entered('ParallelStateEntered', 'CompensateThroughReserveStock'),
      entered('TaskStateEntered', 'ReleaseStockThroughReserveStock'),
      event('TaskFailed'),
      event('ParallelStateFailed'),
      event('ParallelStateExited', 'CompensateThroughReserveStock'),
      entered('TaskStateEntered', 'AnalyzeError'),
    ];
    expect(checkRun(facts(history)).map((v) => v.rule)).not.toContain(RULES.compensationEscalates);
  });

  it('a step made of several states (ChargePayment\'s Parallel) failing is not a compensation round', () => {
    const history = [
      entered('ParallelStateEntered', 'ChargePayment'),
      entered('TaskStateEntered', 'AuthorisePayment'),
      event('TaskFailed'),
      event('ParallelStateFailed'),
      event('ParallelStateExited', 'ChargePayment'),
      entered('TaskStateEntered', 'NotifyFailure'),
    ];
    const f = { ...facts(history), schedule: parseSchedule('ChargePayment#1 permanent(PaymentDeclined)') };
    expect(checkRun(f).map((v) => v.rule)).not.toContain(RULES.compensationEscalates);
  });

  it('reports stock that came back twice, and a failed order still holding its reservation', () => {
    const doubled = { ...refunded, taken: { 'ord-facts-A': -2, 'ord-facts-B': 0 } };
    expect(checkRun(facts([], doubled)).map((v) => v.rule)).toEqual([RULES.stock]);
    const held = { ...refunded, reservation: 'reserved' as const, taken: { 'ord-facts-A': 2, 'ord-facts-B': 1 } };
    expect(checkRun(facts([], held)).map((v) => v.rule)).toEqual([RULES.compensated]);
  });
});
