import { anOrder, readPaymentRecord } from '@saga/lambda-kit/payments';
import { LAMBDA_SESSION_TOKEN, PAYMENT_BUNDLE_SECRET_ARN, startPaymentBundleRig, type BundleOutcome, type PaymentBundleRig } from '@saga/testkit';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
  rig = await startPaymentBundleRig('charge-bundle');
});
afterEach(async () => {
  await rig.close();
});
const invoke = (events: unknown[]): Promise<BundleOutcome[]> => rig.invoke(BUNDLE, events);

describe('the bundled ChargePayment handler (dist/lambda/handler.mjs)', () => {
  it('charges, records and captures; reads the key through the extension once per cold start', async () => {
    const [first, second, replay] = await invoke([
      { order: anOrder() },
      { order: anOrder({ orderId: 'ord-1002' }) },
      { order: anOrder() },
    ]);
    expect(first).toEqual({ ok: true, value: { paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'captured' } });
    expect(second).toMatchObject({ ok: true, value: { status: 'captured' } });
    expect(replay).toEqual(first); // continued from the order record: retrieved, not charged again
    if (!first?.ok) throw new Error('the first charge failed');
    const pi = first.value['paymentIntentId'];
    expect(await readPaymentRecord(rig.dynamodb, rig.ordersTable, 'ord-1001')).toMatchObject({ paymentIntentId: pi, paymentStatus: 'captured' });
    expect(rig.stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1, captured: 2999 })]);
    expect(rig.stripe.requests({ method: 'POST' }).map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey])).toEqual([
      ['/v1/payment_intents', 'ord-1001:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
      ['/v1/payment_intents', 'ord-1002:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1002:capture:v1'],
    ]);
    expect(rig.extension.requests).toEqual([{ url: `/secretsmanager/get?secretId=${encodeURIComponent(PAYMENT_BUNDLE_SECRET_ARN)}`, token: LAMBDA_SESSION_TOKEN }]);
  });

  it('keeps the saga error names: InvalidOrder, PaymentDeclined (recorded), PaymentProviderUnavailable', async () => {
    const declined = anOrder({ orderId: 'ord-declined', payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const [invalid, decline] = await invoke([{ order: { ...anOrder(), currency: 'xyz' } }, { order: declined }]);
    expect(invalid).toMatchObject({ ok: false, name: 'InvalidOrder' });
    expect(decline).toEqual({ ok: false, name: 'PaymentDeclined', message: 'insufficient_funds' });
    expect(await readPaymentRecord(rig.dynamodb, rig.ordersTable, 'ord-declined')).toMatchObject({ paymentStatus: 'declined' });

    rig.stripe.faults.inject({ kind: '500', times: 'always' });
    const [outage] = await invoke([{ order: anOrder({ orderId: 'ord-outage' }) }]);
    expect(outage).toMatchObject({ ok: false, name: 'PaymentProviderUnavailable', message: expect.stringContaining('StripeAPIError') });
  });

  it('a secret the role may not read fails with the Secrets Manager error name, before any charge', async () => {
    rig.extension.answer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:GetSecretValue' });
    const [denied] = await invoke([{ order: anOrder() }]);
    expect(denied).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(rig.stripe.requests()).toHaveLength(0);
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
