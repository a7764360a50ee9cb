import type { Order } from '@saga/contracts';
import { anOrder, createStripeClient, readPaymentRecord, recordPaymentIntent } from '@saga/lambda-kit/payments';
import { LAMBDA_SESSION_TOKEN, PAYMENT_BUNDLE_SECRET_ARN, startPaymentBundleRig, type BundleOutcome, type PaymentBundleRig } from '@saga/testkit';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// The artifact Lambda runs: dist/lambda/handler.mjs (the `bundle` target, with the payment trims:
// a Stripe client with PaymentIntents and Refunds only, no Secrets Manager client), imported by a
// fresh Node process with a Lambda-like environment (credentials and session token in variables).
// The Stripe key comes from a stand-in for the AWS Parameters and Secrets Lambda Extension, Stripe
// is the testkit's Stripe-wire server and DynamoDB is dynalite.

const BUNDLE = fileURLToPath(new URL('../dist/lambda/handler.mjs', import.meta.url));
const META = fileURLToPath(new URL('../dist/lambda/meta.json', import.meta.url));


let rig: PaymentBundleRig;
// Fresh servers and tables per test: each one reads the ledger and the extension's requests from zero.
beforeEach(async () => {
  rig = await startPaymentBundleRig('refund-bundle');
});
afterEach(async () => {
  await rig.close();
});
const invoke = (events: unknown[]): Promise<BundleOutcome[]> => rig.invoke(BUNDLE, events);

/** What ChargePayment leaves behind (same keys and record writer): an authorisation, optionally captured. */
async function charge(order: Order, options: { capture: boolean }): Promise<Stripe.PaymentIntent> {
  const sdk = createStripeClient(rig.stripe.apiKey, { api: rig.stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
  let pi = await sdk.paymentIntents.create(
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
  if (options.capture) pi = await sdk.paymentIntents.capture(pi.id, {}, { idempotencyKey: `${order.orderId}:capture:v1` });
  await recordPaymentIntent(rig.dynamodb, rig.ordersTable, {
    orderId: order.orderId,
    paymentIntentId: pi.id,
    amount: 2999,
    currency: order.currency,
    status: options.capture ? 'captured' : 'authorised',
    now: new Date(),
  });
  return pi;
}

const captured = (pi: Stripe.PaymentIntent) => ({ paymentIntentId: pi.id, amount: 2999, currency: 'eur', status: 'captured' });

describe('the bundled RefundPayment handler (dist/lambda/handler.mjs)', () => {
  it('refunds a captured charge, cancels an authorisation, reports noop; one key read per cold start', async () => {
    const paid = anOrder({ orderId: 'ord-paid' });
    const held = anOrder({ orderId: 'ord-held' });
    const piPaid = await charge(paid, { capture: true });
    const piHeld = await charge(held, { capture: false });

    const [refunded, again, canceled, noop] = await invoke([
      { order: paid, payment: captured(piPaid) },
      { order: paid, payment: captured(piPaid) },
      { order: held },
      { order: anOrder({ orderId: 'ord-never' }) },
    ]);
    expect(refunded).toEqual({ ok: true, value: { outcome: 'refunded', refundId: expect.stringMatching(/^re_/) } });
    expect(again).toEqual(refunded);
    expect(canceled).toEqual({ ok: true, value: { outcome: 'canceled', paymentIntentId: piHeld.id } });
    expect(noop).toEqual({ ok: true, value: { outcome: 'noop' } });

    expect(rig.stripe.ledger({ orderId: 'ord-paid' })).toEqual([expect.objectContaining({ captured: 2999, refunded: 2999, refunds: 1, net: 0 })]);
    expect(rig.stripe.ledger({ orderId: 'ord-held' })).toEqual([expect.objectContaining({ status: 'canceled', captured: 0 })]);
    expect(await readPaymentRecord(rig.dynamodb, rig.ordersTable, 'ord-paid')).toMatchObject({ paymentStatus: 'refunded' });
    expect(await readPaymentRecord(rig.dynamodb, rig.ordersTable, 'ord-held')).toMatchObject({ paymentStatus: 'canceled' });
    expect(rig.extension.requests).toEqual([{ url: `/secretsmanager/get?secretId=${encodeURIComponent(PAYMENT_BUNDLE_SECRET_ARN)}`, token: LAMBDA_SESSION_TOKEN }]);
  });

  it('a charge refunded elsewhere is found with refunds.list (Stripe forgot our key)', async () => {
    const order = anOrder({ orderId: 'ord-by-hand' });
    const pi = await charge(order, { capture: true });
    const sdk = createStripeClient(rig.stripe.apiKey, { api: rig.stripe.sdkOptions(), timeoutMs: 2000, maxNetworkRetries: 0 });
    const byHand = await sdk.refunds.create({ payment_intent: pi.id });
    const [out] = await invoke([{ order, payment: captured(pi) }]);
    expect(out).toEqual({ ok: true, value: { outcome: 'refunded', refundId: byHand.id } });
    expect(rig.stripe.requests({ method: 'GET', path: '/v1/refunds' })).toHaveLength(1);
    expect(rig.stripe.ledger({ orderId: order.orderId })).toEqual([expect.objectContaining({ refunds: 1, net: 0 })]);
  });

  it('keeps the saga error names: CompensationFailed, PaymentProviderUnavailable, the Secrets Manager error', async () => {
    const [bad] = await invoke([{ order: { orderId: 'ord-1' } }]);
    expect(bad).toMatchObject({ ok: false, name: 'CompensationFailed' });

    const order = anOrder({ orderId: 'ord-outage' });
    const pi = await charge(order, { capture: true });
    rig.stripe.faults.inject({ kind: '429', times: 'always' });
    const [outage] = await invoke([{ order, payment: captured(pi) }]);
    expect(outage).toMatchObject({ ok: false, name: 'PaymentProviderUnavailable', message: expect.stringContaining('StripeRateLimitError') });

    rig.extension.answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    const [missing] = await invoke([{ order, payment: captured(pi) }]);
    expect(missing).toMatchObject({ ok: false, name: 'ResourceNotFoundException' });
  });

  it('carries no Secrets Manager client and no Stripe resource beyond PaymentIntents and Refunds', () => {
    const meta = JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    const inputs = Object.keys(Object.values(meta.outputs)[0]!.inputs);
    expect(inputs.filter((f) => f.includes('@aws-sdk/client-secrets-manager'))).toEqual([]);
    expect(inputs.filter((f) => /stripe\/esm\/resources\//.test(f)).map((f) => f.replace(/^.*stripe\/esm\//, '')).sort()).toEqual([
      'resources/PaymentIntents.js',
      'resources/Refunds.js',
    ]);
  });
});
