import type { Order, OrderPaymentRecord } from '@saga/contracts';
import { anOrder, createStripeClient, recordLookup } from '@saga/lambda-kit/payments';
import {
  LAMBDA_SESSION_TOKEN,
  PAYMENT_BUNDLE_SECRET_ARN,
  startPaymentBundleServers,
  type BundleOutcome,
  type PaymentBundleServers,
  type SecretsExtensionStub,
  type StripeServer,
} from '@saga/testkit';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The artifact Lambda runs: dist/lambda/handler.mjs (the `bundle` target, with the payment trims: a
// Stripe client with PaymentIntents and Refunds only, no AWS SDK client at all), imported by a fresh
// Node process with a Lambda-like environment (credentials and session token in variables). The Stripe
// key comes from a stand-in for the AWS Parameters and Secrets Lambda Extension; Stripe is the
// testkit's Stripe-wire server. The order record is part of the events, as the state machine passes it.

const BUNDLE = fileURLToPath(new URL('../dist/lambda/handler.mjs', import.meta.url));
const META = fileURLToPath(new URL('../dist/lambda/meta.json', import.meta.url));

let servers: PaymentBundleServers;
let stripe: StripeServer;
let extension: SecretsExtensionStub;
// Fresh servers per test: each one reads the ledger and the extension's requests from zero.
beforeEach(async () => {
  servers = await startPaymentBundleServers();
  ({ stripe, extension } = servers);
});
afterEach(async () => {
  await servers.close();
});

/** One cold start, configured as the stack configures RefundPayment, invoked with each event in turn. */
const invoke = (events: unknown[]): Promise<BundleOutcome[]> => servers.invoke(BUNDLE, events);

const sdk = () => createStripeClient(stripe.apiKey, { api: stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });

/** What ChargePayment leaves behind (same keys): an authorisation, optionally captured. */
async function charge(order: Order, options: { capture: boolean }): Promise<Stripe.PaymentIntent> {
  const pi = await sdk().paymentIntents.create(
    {
      amount: 2999,
      currency: order.currency,
      capture_method: 'manual',
      confirm: true,
      payment_method: order.payment.paymentMethodId,
      allowed_payment_method_types: ['card'],
      metadata: { orderId: order.orderId },
    },
    { idempotencyKey: `${order.orderId}:authorise:v1` },
  );
  return options.capture ? sdk().paymentIntents.capture(pi.id, {}, { idempotencyKey: `${order.orderId}:capture:v1` }) : pi;
}

/** The step input: the order and its record, as the state machine passes them. */
const event = (order: Order, record?: OrderPaymentRecord) => ({ order, record: recordLookup(order.orderId, record) });
const recorded = (pi: Stripe.PaymentIntent, paymentStatus: OrderPaymentRecord['paymentStatus']): OrderPaymentRecord => ({
  paymentIntentId: pi.id,
  paymentStatus,
  amount: 2999,
  currency: 'eur',
});

describe('the bundled RefundPayment handler (dist/lambda/handler.mjs)', () => {
  it('refunds a captured charge, cancels an authorisation, reports noop; one key read per cold start', async () => {
    const paid = anOrder({ orderId: 'ord-paid' });
    const held = anOrder({ orderId: 'ord-held' });
    const piPaid = await charge(paid, { capture: true });
    const piHeld = await charge(held, { capture: false });

    const [refunded, again, canceled, canceledAgain, noop] = await invoke([
      event(paid, recorded(piPaid, 'captured')),
      event(paid, recorded(piPaid, 'captured')),
      event(held, recorded(piHeld, 'authorised')),
      event(held, recorded(piHeld, 'canceled')),
      event(anOrder({ orderId: 'ord-never' })),
    ]);
    expect(refunded).toEqual({ ok: true, value: { outcome: 'refunded', paymentIntentId: piPaid.id, refundId: expect.stringMatching(/^re_/) } });
    expect(again).toEqual(refunded);
    expect(canceled).toEqual({ ok: true, value: { outcome: 'canceled', paymentIntentId: piHeld.id } });
    expect(canceledAgain).toEqual(canceled);
    expect(noop).toEqual({ ok: true, value: { outcome: 'noop' } });

    expect(stripe.ledger({ orderId: 'ord-paid' })).toEqual([expect.objectContaining({ captured: 2999, refunded: 2999, refunds: 1, net: 0 })]);
    expect(stripe.ledger({ orderId: 'ord-held' })).toEqual([expect.objectContaining({ status: 'canceled', captured: 0 })]);
    expect(extension.requests).toEqual([{ url: `/secretsmanager/get?secretId=${encodeURIComponent(PAYMENT_BUNDLE_SECRET_ARN)}`, token: LAMBDA_SESSION_TOKEN }]);
  });

  it('a charge refunded elsewhere is found with refunds.list (Stripe forgot our key, the record has no refund)', async () => {
    const order = anOrder({ orderId: 'ord-by-hand' });
    const pi = await charge(order, { capture: true });
    const byHand = await sdk().refunds.create({ payment_intent: pi.id });
    const [out] = await invoke([event(order, recorded(pi, 'captured'))]);
    expect(out).toEqual({ ok: true, value: { outcome: 'refunded', paymentIntentId: pi.id, refundId: byHand.id } });
    expect(stripe.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(1);
    expect(stripe.ledger({ orderId: order.orderId })).toEqual([expect.objectContaining({ refunds: 1, net: 0 })]);
  });

  it('keeps the saga error names: CompensationFailed, PaymentProviderUnavailable, the Secrets Manager error', async () => {
    const [bad, badRecord] = await invoke([{ order: { orderId: 'ord-1' }, record: {} }, { order: anOrder(), record: { Item: { paymentStatus: { S: 'settled' } } } }]);
    expect(bad).toMatchObject({ ok: false, name: 'CompensationFailed' });
    expect(badRecord).toMatchObject({ ok: false, name: 'CompensationFailed', message: expect.stringContaining('record.Item.paymentStatus.S invalid_value') });

    const order = anOrder({ orderId: 'ord-outage' });
    const pi = await charge(order, { capture: true });
    stripe.faults.inject({ kind: '429', times: 'always' });
    const [outage] = await invoke([event(order, recorded(pi, 'captured'))]);
    expect(outage).toMatchObject({ ok: false, name: 'PaymentProviderUnavailable', message: expect.stringContaining('StripeRateLimitError') });

    extension.answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    const [missing] = await invoke([event(order, recorded(pi, 'captured'))]);
    expect(missing).toMatchObject({ ok: false, name: 'ResourceNotFoundException' });
  });

  it('carries no AWS SDK client and no Stripe resource beyond PaymentIntents and Refunds', () => {
    const meta = JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = Object.keys(Object.values(meta.outputs)[0]!.inputs);
    expect(inputs.filter((f) => /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(f))).toEqual([]);
    expect(inputs.filter((f) => /stripe\/esm\/resources\//.test(f)).map((f) => f.replace(/^.*stripe\/esm\//, '')).sort()).toEqual([
      'resources/PaymentIntents.js',
      'resources/Refunds.js',
    ]);
  });
});
