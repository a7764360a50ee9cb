import { InvalidOrderError } from '@saga/contracts';
import { recordLookup } from '@saga/lambda-kit/payments';
import { baseOrder, MALFORMED_ORDERS_MARKERS, malformedOrderCategory, malformedOrders, startStripeServer, type StripeServer } from '@saga/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps } from '../src/lambda.js';

// Issue #7, bad input: every malformed order of the testkit corpus is refused by the real Lambda
// handler (built from its environment, as in production: Powertools logger, Stripe SDK against the
// Stripe-wire server), in both of its Task states (authorise and capture), with `InvalidOrder`, and
// nothing is touched: no Stripe request, no PaymentIntent. The function has no other side effect:
// the order record is read and written by the state machine.

let stripe: StripeServer;

beforeAll(async () => {
  stripe = await startStripeServer();
});
afterAll(async () => {
  await stripe?.close();
});

/** The production handler, configured from the environment like the deployed Lambda. */
function productionHandler(logLevel: 'DEBUG' | 'SILENT') {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', logLevel);
  return createHandler(defaultDeps({ STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_MAX_NETWORK_RETRIES: '0' }));
}

/** The two inputs the state machine gives the function, around `order` (absent: left out); no order record yet. */
function events(order: unknown): Record<string, unknown>[] {
  const withOrder = order === undefined ? {} : { order };
  return [
    { action: 'authorise', ...withOrder, record: recordLookup('ord-1'), previous: null },
    { action: 'capture', ...withOrder, authorisation: { paymentIntentId: 'pi_malformed', amount: 1250, currency: 'gbp', status: 'authorised' } },
  ];
}

describe('malformed orders at ChargePayment (the first step)', () => {
  it('are all refused with InvalidOrder by both actions, without any side effect, and the same handler still charges a valid order', async () => {
    const corpus = malformedOrders();
    const logs: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const crashes: string[] = [];
    const echoes: string[] = [];
    const perCategory = new Map<string, number>();
    try {
      const handler = productionHandler('DEBUG');
      for (const entry of corpus) {
        perCategory.set(malformedOrderCategory(entry), (perCategory.get(malformedOrderCategory(entry)) ?? 0) + 1);
        for (const event of events(entry.order)) {
          let outcome: unknown;
          try {
            outcome = { resolved: await handler(event) };
          } catch (error) {
            outcome = error;
          }
          const which = `${entry.name} (${String(event['action'])})`;
          if (!(outcome instanceof InvalidOrderError) || outcome.name !== 'InvalidOrder') {
            crashes.push(`${which}: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : JSON.stringify(outcome)?.slice(0, 200)}`);
            continue;
          }
          // The message names paths and codes only: never the values (PII, injected payloads).
          const echoed = MALFORMED_ORDERS_MARKERS.filter((marker) => outcome.message.includes(marker));
          if (echoed.length > 0 || outcome.issues.length === 0) echoes.push(`${which}: ${outcome.message}`);
        }
      }
    } finally {
      out.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }

    const stripeRequests = stripe.requests().length;
    const paymentIntents = stripe.ledger().length;
    const polluted = ['polluted', 'isAdmin', 'unitPrice', 'paymentMethodId'].filter((key) => key in {});
    const logText = logs.join('');
    const leaked = MALFORMED_ORDERS_MARKERS.filter((marker) => logText.includes(marker));
    const sideEffects = stripeRequests + paymentIntents + polluted.length;

    console.log(
      `ChargePayment: ${corpus.length} malformed orders tried, each as authorise and capture ` +
        `(${[...perCategory].map(([c, n]) => `${c} ${n}`).join(', ')}), ` +
        `${2 * corpus.length - crashes.length} of ${2 * corpus.length} refused with InvalidOrder, ${crashes.length} crashes, ${sideEffects} side effects ` +
        `(Stripe requests ${stripeRequests}, PaymentIntents ${paymentIntents}, prototype keys ${polluted.length})`,
    );
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(perCategory.size).toBe(16);
    expect(crashes).toEqual([]);
    expect(echoes).toEqual([]);
    expect(leaked).toEqual([]);
    expect(sideEffects).toBe(0);

    // The control: the very same wiring charges a valid order, in the state machine's three calls (so "no
    // request" was the handler's doing): create (nothing held), confirm once recorded, capture.
    try {
      const handler = productionHandler('SILENT');
      const order = baseOrder();
      const record = recordLookup(order.orderId); // read before the PaymentIntent is recorded
      const created = await handler({ action: 'authorise', order, record, previous: null });
      expect(created).toMatchObject({ status: 'created', amount: 1250 + 2 * 499 });
      expect(stripe.ledger()).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);
      const authorisation = await handler({ action: 'authorise', order, record, previous: created });
      expect(authorisation).toMatchObject({ status: 'authorised', paymentIntentId: created.paymentIntentId, amount: 1250 + 2 * 499 });
      await expect(handler({ action: 'capture', order, authorisation })).resolves.toMatchObject({ status: 'captured', amount: 1250 + 2 * 499 });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stripe.ledger()).toEqual([expect.objectContaining({ authorisations: 1, captures: 1 })]);
  });
});
