import { anOrder, recordLookup } from '@saga/lambda-kit/payments';
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

/** One cold start, configured as the stack configures ChargePayment, invoked with each event in turn. */
const invoke = (events: unknown[]): Promise<BundleOutcome[]> => servers.invoke(BUNDLE, events);

const authorise = (
  order = anOrder(),
  record?: { paymentIntentId: string; paymentStatus: 'created' | 'authorised' | 'captured' },
  previous: Record<string, unknown> | null = null,
) => ({
  action: 'authorise',
  order,
  record: recordLookup(order.orderId, record),
  previous,
});

describe('the bundled ChargePayment handler (dist/lambda/handler.mjs)', () => {
  it('creates, confirms, captures, resumes a recorded PaymentIntent; reads the key through the extension once per cold start', async () => {
    const [created] = await invoke([authorise()]);
    expect(created).toEqual({ ok: true, value: { paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'created' } });
    if (!created?.ok) throw new Error('the create failed');
    const pi = created.value['paymentIntentId'] as string;
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ status: 'requires_confirmation', authorised: 0 })]);

    // The state machine records it, then calls again with it as `previous` and the record it read before.
    const authorisation = { ...created.value, status: 'authorised' };
    const [authorised, resumed, captured, replay, afterCapture] = await invoke([
      authorise(anOrder(), undefined, created.value),
      authorise(anOrder(), { paymentIntentId: pi, paymentStatus: 'authorised' }),
      { action: 'capture', order: anOrder(), authorisation },
      { action: 'capture', order: anOrder(), authorisation },
      authorise(anOrder(), { paymentIntentId: pi, paymentStatus: 'captured' }),
    ]);
    expect(authorised).toEqual({ ok: true, value: authorisation });
    expect(resumed).toEqual(authorised);
    const capturedPayment = { ok: true, value: { paymentIntentId: pi, amount: 2999, currency: 'eur', status: 'captured' } };
    expect(captured).toEqual(capturedPayment);
    expect(replay).toEqual(capturedPayment);
    expect(afterCapture).toEqual(capturedPayment);
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1, captured: 2999 })]);
    expect(stripe.requests({ method: 'POST' }).map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey])).toEqual([
      ['/v1/payment_intents', 'ord-1001:create:v1'],
      ['/v1/payment_intents/:id/confirm', 'ord-1001:confirm:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'], // the replay found it captured: no second capture
    ]);
    const secretRead = { url: `/secretsmanager/get?secretId=${encodeURIComponent(PAYMENT_BUNDLE_SECRET_ARN)}`, token: LAMBDA_SESSION_TOKEN };
    expect(extension.requests).toEqual([secretRead, secretRead]); // two cold starts
  });

  it('keeps the saga error names and results: InvalidOrder, created then declined, PaymentProviderUnavailable', async () => {
    const declinedOrder = anOrder({ orderId: 'ord-declined', payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const [invalid, noAction, badRecord, created] = await invoke([
      { ...authorise(), order: { ...anOrder(), currency: 'xyz' } },
      { order: anOrder() },
      { ...authorise(), record: { Item: { amount: { S: 'x' } } } },
      authorise(declinedOrder),
    ]);
    expect(invalid).toMatchObject({ ok: false, name: 'InvalidOrder', message: expect.stringContaining('order.currency invalid_value') });
    expect(noAction).toMatchObject({ ok: false, name: 'InvalidOrder', message: expect.stringContaining('action invalid_union') });
    expect(badRecord).toMatchObject({ ok: false, name: 'InvalidOrder', message: expect.stringContaining('record.Item.amount.N invalid_type') });
    expect(created).toMatchObject({ ok: true, value: { status: 'created' } }); // the card is declined only when confirmed
    if (!created?.ok) throw new Error('the create failed');
    const [declined] = await invoke([authorise(declinedOrder, undefined, created.value)]);
    expect(declined).toEqual({
      ok: true,
      value: { paymentIntentId: created.value['paymentIntentId'], amount: 2999, currency: 'eur', status: 'declined', declineReason: 'insufficient_funds' },
    });

    stripe.faults.inject({ kind: '500', times: 'always' });
    const [outage] = await invoke([authorise(anOrder({ orderId: 'ord-outage' }))]);
    expect(outage).toMatchObject({ ok: false, name: 'PaymentProviderUnavailable', message: expect.stringContaining('StripeAPIError') });
  });

  it('a secret the role may not read fails with the Secrets Manager error name, before any charge', async () => {
    extension.answer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:GetSecretValue' });
    const [denied] = await invoke([authorise()]);
    expect(denied).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(stripe.requests()).toHaveLength(0);
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
