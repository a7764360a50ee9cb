import { Logger } from '@aws-lambda-powertools/logger';
import type { ChargeAuthorisation, Order, OrderPaymentRecord } from '@saga/contracts';
import { anOrder, createStripeClient, createStripeProvider, memoryLogger, personalData, recordLookup } from '@saga/lambda-kit/payments';
import { startStripeServer, type StripeServer } from '@saga/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chargePayment, type ChargePaymentDeps } from '../src/charge-payment.js';
import { createHandler, defaultDeps, SERVICE_NAME } from '../src/lambda.js';

// Integration: the real Stripe SDK over HTTP against the testkit's Stripe server (with the SDK's own
// retries), driven the way the state machine drives the function: read the order record, authorise
// (creates the PaymentIntent, unconfirmed), record it with a conditional write, authorise again (confirms
// it), record the outcome, capture, record the capture.

let stripe: StripeServer;
let records: OrderRecords;

beforeEach(async () => {
  stripe = await startStripeServer();
  records = new OrderRecords();
});
afterEach(async () => {
  await stripe.close();
});

function deps(overrides: Partial<ChargePaymentDeps> = {}): ChargePaymentDeps {
  return {
    stripe: createStripeProvider({ secretKey: stripe.apiKey, api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 2 }, async () => undefined),
    logger: memoryLogger(),
    ...overrides,
  };
}

/** The orders table's payment records, written as the state machine's `dynamodb:updateItem` states write them. */
class OrderRecords {
  readonly items = new Map<string, OrderPaymentRecord>();
  /** Every successful write, oldest first: `[orderId, paymentStatus]`. */
  readonly writes: Array<[string, string]> = [];

  /** `dynamodb:getItem`'s output: the `record` of the step input. */
  lookup(orderId: string): Record<string, unknown> {
    return recordLookup(orderId, this.items.get(orderId));
  }

  /** The conditional write `attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi`: false when another PaymentIntent is recorded. */
  record(orderId: string, { paymentIntentId, status, amount, currency }: ChargeAuthorisation): boolean {
    const current = this.items.get(orderId);
    if (current?.paymentIntentId !== undefined && current.paymentIntentId !== paymentIntentId) return false;
    this.items.set(orderId, { ...current, paymentIntentId, paymentStatus: status, amount, currency, updatedAt: new Date().toISOString() });
    this.writes.push([orderId, status]);
    return true;
  }
}

type Invoke = (event: unknown) => Promise<ChargeAuthorisation>;

/**
 * What the state machine does around the function (stacks/fulfilment/src/payment-flows.ts builds it in
 * ASL): LoadPaymentRecord reads the record; AuthorisePayment; RecordPaymentIntent records the result
 * (conditional write). `created` goes back to AuthorisePayment with the result as `previous` and the
 * record as it was read (before the write, so naming no PaymentIntent): that call confirms it, and its
 * outcome is recorded too. When another PaymentIntent was recorded first, it reads the record again and
 * comes back with `previous`. It captures only what it recorded as authorised, then records the capture.
 * A `declined` or `captured` authorisation is recorded and returned (the state machine then fails the
 * step with PaymentDeclined, or goes on).
 */
async function chargeLikeTheStateMachine(order: Order, invoke: Invoke = (event) => chargePayment(event, deps())): Promise<ChargeAuthorisation> {
  let previous: ChargeAuthorisation | null = null;
  let record = records.lookup(order.orderId);
  for (let call = 0; call < 6; call++) {
    const authorisation = await invoke({ action: 'authorise', order, record, previous });
    previous = authorisation;
    if (!records.record(order.orderId, authorisation)) {
      record = records.lookup(order.orderId);
      continue;
    }
    if (authorisation.status === 'created') continue;
    if (authorisation.status !== 'authorised') return authorisation;
    const payment = await invoke({ action: 'capture', order, authorisation });
    records.record(order.orderId, payment);
    return payment;
  }
  throw new Error('the order record kept naming another PaymentIntent');
}

/** What each invocation returned, with where the order's PaymentIntent stood at Stripe right after it. */
function tracing(orderId: string, invoke: Invoke = (event) => chargePayment(event, deps())) {
  const steps: Array<{ action: string; returned: string; stripeStatus: string | undefined; authorised: number; captured: number }> = [];
  const traced: Invoke = async (event) => {
    const out = await invoke(event);
    const entry = stripe.ledger({ orderId }).at(-1);
    steps.push({
      action: (event as { action: string }).action,
      returned: out.status,
      stripeStatus: entry?.status,
      authorised: entry?.authorised ?? 0,
      captured: entry?.captured ?? 0,
    });
    return out;
  };
  return { steps, invoke: traced };
}

const postKeys = () => stripe.requests({ method: 'POST' }).map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey]);

describe('ChargePayment against Stripe-wire, driven like the state machine', () => {
  it('creates (nothing held), is recorded, confirms (held), is recorded, captures: one PaymentIntent, one capture', async () => {
    const { steps, invoke } = tracing('ord-1001');
    const out = await chargeLikeTheStateMachine(anOrder(), invoke);
    expect(out).toEqual({ paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'captured' });
    expect(steps).toEqual([
      { action: 'authorise', returned: 'created', stripeStatus: 'requires_confirmation', authorised: 0, captured: 0 },
      { action: 'authorise', returned: 'authorised', stripeStatus: 'requires_capture', authorised: 2999, captured: 0 },
      { action: 'capture', returned: 'captured', stripeStatus: 'succeeded', authorised: 2999, captured: 2999 },
    ]);
    expect(records.writes).toEqual([
      ['ord-1001', 'created'],
      ['ord-1001', 'authorised'],
      ['ord-1001', 'captured'],
    ]);
    expect(postKeys()).toEqual([
      ['/v1/payment_intents', 'ord-1001:create:v1'],
      ['/v1/payment_intents/:id/confirm', 'ord-1001:confirm:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
    ]);
    expect(records.items.get('ord-1001')).toMatchObject({ paymentIntentId: out.paymentIntentId, paymentStatus: 'captured' });
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([
      expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorised: 2999, captured: 2999, captures: 1, refunded: 0 }),
    ]);
  });

  it('a replayed charge does not charge twice, even after Stripe forgot its idempotency keys (the record decides)', async () => {
    const first = await chargeLikeTheStateMachine(anOrder());
    expect(await chargeLikeTheStateMachine(anOrder())).toEqual(first);
    expect(stripe.forgetIdempotencyKeys()).toBeGreaterThan(0);
    expect(await chargeLikeTheStateMachine(anOrder())).toEqual(first);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
    expect(stripe.requests({ method: 'POST', path: '/v1/payment_intents' })).toHaveLength(1);
    expect(stripe.requests({ method: 'POST', path: '/v1/payment_intents/*/confirm' })).toHaveLength(1);
  });

  it('a crash right after the first authorise (created, never recorded) leaves nothing held at Stripe; the retry charges that PaymentIntent once', async () => {
    const order = anOrder();
    const created = await chargePayment({ action: 'authorise', order, record: records.lookup(order.orderId), previous: null }, deps());
    expect(created).toMatchObject({ status: 'created' });
    // The execution dies here: RecordPaymentIntent never runs.
    expect(records.items.get('ord-1001')).toBeUndefined();
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([
      expect.objectContaining({ paymentIntentId: created.paymentIntentId, status: 'requires_confirmation', authorised: 0, authorisations: 0, captured: 0 }),
    ]);
    expect(stripe.requests({ path: '/v1/payment_intents/*/confirm' })).toHaveLength(0);

    // Within Stripe's key window, the retry's create replays: the same PaymentIntent, confirmed once recorded.
    const out = await chargeLikeTheStateMachine(order);
    expect(out).toMatchObject({ paymentIntentId: created.paymentIntentId, status: 'captured' });
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });

  it('a crash right after the first authorise, retried after Stripe forgot the create key: the orphan stays unconfirmed and holds nothing', async () => {
    const order = anOrder();
    const orphan = await chargePayment({ action: 'authorise', order, record: records.lookup(order.orderId), previous: null }, deps());
    stripe.forgetIdempotencyKeys();
    const out = await chargeLikeTheStateMachine(order);
    expect(out.paymentIntentId).not.toBe(orphan.paymentIntentId);
    expect(stripe.ledger({ paymentIntentId: orphan.paymentIntentId })).toEqual([
      expect.objectContaining({ status: 'requires_confirmation', authorised: 0, captured: 0, released: 0 }),
    ]);
    expect(stripe.ledger({ paymentIntentId: out.paymentIntentId })).toEqual([expect.objectContaining({ authorised: 2999, captured: 2999, captures: 1 })]);
    const held = stripe.ledger({ orderId: 'ord-1001' }).reduce((sum, e) => sum + e.authorised, 0);
    expect(held).toBe(2999);
  });

  it('a review retry days later of an authorisation recorded but never captured captures that authorisation', async () => {
    stripe.faults.inject({ kind: '500', times: 3, match: { path: '/v1/payment_intents/*/capture' } });
    await expect(chargeLikeTheStateMachine(anOrder())).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(records.items.get('ord-1001')).toMatchObject({ paymentStatus: 'authorised' });
    stripe.forgetIdempotencyKeys();
    const out = await chargeLikeTheStateMachine(anOrder());
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ paymentIntentId: out.paymentIntentId, authorisations: 1, captures: 1 })]);
  });

  it('two concurrent executions of the same order charge once', async () => {
    const [a, b] = await Promise.all([chargeLikeTheStateMachine(anOrder()), chargeLikeTheStateMachine(anOrder())]);
    expect(a.paymentIntentId).toBe(b.paymentIntentId);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });

  it('a PaymentIntent that lost the race to be recorded (keys forgotten in between) is canceled before it held anything; the recorded one is captured once', async () => {
    const order = anOrder();
    const authorise = (record: Record<string, unknown>, previous: ChargeAuthorisation | null) =>
      chargePayment({ action: 'authorise', order, record, previous }, deps());
    const read = records.lookup(order.orderId); // both executions read the record before either wrote it
    const winner = await authorise(read, null);
    stripe.forgetIdempotencyKeys();
    const loser = await authorise(read, null);
    expect([winner.status, loser.status]).toEqual(['created', 'created']);
    expect(loser.paymentIntentId).not.toBe(winner.paymentIntentId);
    expect(records.record(order.orderId, winner)).toBe(true);
    expect(records.record(order.orderId, loser)).toBe(false);

    // The losing execution reads the record again and comes back with `previous`: it cancels its own
    // PaymentIntent and carries on with the recorded one, which it confirms.
    const resumed = await authorise(records.lookup(order.orderId), loser);
    expect(resumed).toEqual({ ...winner, status: 'authorised' });
    expect(records.record(order.orderId, resumed)).toBe(true);
    // The winning execution's second call (with the record it read first) finds it authorised already.
    const confirmed = await authorise(read, winner);
    expect(confirmed).toEqual(resumed);
    expect(records.record(order.orderId, confirmed)).toBe(true);
    await chargePayment({ action: 'capture', order, authorisation: resumed }, deps());
    await chargePayment({ action: 'capture', order, authorisation: confirmed }, deps());
    expect(stripe.ledger({ paymentIntentId: winner.paymentIntentId })).toEqual([expect.objectContaining({ authorisations: 1, captured: 2999, captures: 1 })]);
    expect(stripe.ledger({ paymentIntentId: loser.paymentIntentId })).toEqual([
      expect.objectContaining({ status: 'canceled', authorised: 0, authorisations: 0, captured: 0, canceled: 0 }),
    ]);
    expect(stripe.requests({ path: '/v1/payment_intents/*/confirm' }).map((r) => r.path)).toEqual([`/v1/payment_intents/${winner.paymentIntentId}/confirm`]);
  });

  it.each(['/v1/payment_intents', '/v1/payment_intents/*/confirm', '/v1/payment_intents/*/capture'])(
    'the SDK retries a lost response (%s) with the same key: one PaymentIntent, one authorisation, one charge',
    async (path) => {
      stripe.faults.inject({ kind: 'drop', afterProcessing: true, match: { path } });
      await chargeLikeTheStateMachine(anOrder());
      expect(stripe.requests({ path }).map((r) => r.replayed)).toEqual([false, true]);
      expect(stripe.ledger()).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
    },
  );

  it('a decline comes back from the second authorise (the PaymentIntent recorded as created) and is recorded, nothing captured; a retry confirms it again', async () => {
    const order = anOrder({ payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const { steps, invoke } = tracing('ord-1001');
    const declined = await chargeLikeTheStateMachine(order, invoke);
    const [entry] = stripe.ledger({ orderId: 'ord-1001' });
    expect(declined).toEqual({ paymentIntentId: entry!.paymentIntentId, amount: 2999, currency: 'eur', status: 'declined', declineReason: 'insufficient_funds' });
    expect(steps.map((s) => [s.action, s.returned, s.stripeStatus, s.authorised])).toEqual([
      ['authorise', 'created', 'requires_confirmation', 0],
      ['authorise', 'declined', 'requires_payment_method', 0],
    ]);
    expect(records.writes).toEqual([
      ['ord-1001', 'created'],
      ['ord-1001', 'declined'],
    ]);
    expect(records.items.get('ord-1001')).toMatchObject({ paymentIntentId: entry!.paymentIntentId, paymentStatus: 'declined' });
    const failedCharge = stripe.paymentIntent(entry!.paymentIntentId)!['latest_charge'] as string;

    expect(await chargeLikeTheStateMachine(order)).toEqual(declined);
    expect(stripe.requests({ path: '/v1/payment_intents/:id/confirm' }).map((r) => r.idempotencyKey)).toEqual([
      'ord-1001:confirm:v1',
      `ord-1001:confirm:${failedCharge}:v1`,
    ]);
    expect(stripe.requests({ path: '/v1/payment_intents' })).toHaveLength(1);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ declines: 2, authorised: 0, captured: 0 })]);
  });

  it('the Lambda handler works from environment configuration (STRIPE_API_BASE, STRIPE_SECRET_KEY), with no AWS settings', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'SILENT');
    try {
      const handler = createHandler(defaultDeps({ STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_MAX_NETWORK_RETRIES: '0' }));
      const out = await chargeLikeTheStateMachine(anOrder({ orderId: 'ord-handler' }), (event) => handler(event));
      expect(out.status).toBe('captured');
      expect(stripe.ledger({ orderId: 'ord-handler' })).toEqual([expect.objectContaining({ captures: 1 })]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('logs', () => {
  it('carry order ids, steps and outcomes but no personal data (Powertools JSON on stdout)', async () => {
    // Powertools writes info to stdout and warn/error to stderr: capture both.
    const lines: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const d = deps({ logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'DEBUG' }) });
      const invoke: Invoke = (event) => chargePayment(event, d);
      await chargeLikeTheStateMachine(anOrder(), invoke);
      await chargeLikeTheStateMachine(anOrder(), invoke);
      await chargeLikeTheStateMachine(anOrder({ orderId: 'ord-1002', payment: { paymentMethodId: 'pm_card_chargeDeclined' } }), invoke);
      stripe.faults.inject({ kind: '429', times: 'always' });
      await expect(chargeLikeTheStateMachine(anOrder({ orderId: 'ord-1003' }), invoke)).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
      await expect(chargeLikeTheStateMachine({ ...anOrder({ orderId: 'ord-1004' }), lines: [] }, invoke)).rejects.toMatchObject({ name: 'InvalidOrder' });
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const output = lines.join('');
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.length).toBeGreaterThanOrEqual(8);
    expect(logged.every((r) => r['service'] === SERVICE_NAME)).toBe(true);
    expect(logged.map((r) => r['message'])).toEqual(
      expect.arrayContaining(['ChargePayment created', 'ChargePayment authorised', 'ChargePayment captured', 'ChargePayment declined']),
    );
    expect(logged.some((r) => r['level'] === 'WARN')).toBe(true);
    expect(logged.some((r) => r['orderId'] === 'ord-1002' && r['declineReason'] === 'generic_decline')).toBe(true);
    expect(logged.some((r) => r['orderId'] === 'ord-1003' && r['errorName'] === 'PaymentProviderUnavailable')).toBe(true);
    for (const value of [...personalData(anOrder()), 'pm_card_visa', 'pm_card_chargeDeclined', stripe.apiKey]) {
      expect(output).not.toContain(value);
    }
  });

  it('a key that is wrong is not logged either', async () => {
    const logger = memoryLogger();
    const wrongKey = 'sk_test_wrongKeyNotToBeLogged';
    const d = deps({ logger, stripe: async () => createStripeClient(wrongKey, { api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 }) });
    const error = (await chargeLikeTheStateMachine(anOrder(), (event) => chargePayment(event, d)).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: 'StripeAuthenticationError' });
    expect(JSON.stringify(logger.entries)).not.toContain(wrongKey);
    expect(error.message).not.toContain('wrongKey');
  });
});
