import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { anOrder, readPaymentRecord } from '@saga/lambda-kit/payments';
import {
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  startDynalite,
  startStripeServer,
  type StripeServer,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The artifact Lambda runs: dist/lambda/handler.mjs (the `bundle` target, with the payment trims:
// a Stripe client with PaymentIntents and Refunds only, no Secrets Manager client), imported by a
// fresh Node process with a Lambda-like environment (credentials and session token in variables).
// The Stripe key comes from a stand-in for the AWS Parameters and Secrets Lambda Extension, Stripe
// is the testkit's Stripe-wire server and DynamoDB is dynalite.

const BUNDLE = fileURLToPath(new URL('../dist/lambda/handler.mjs', import.meta.url));
const META = fileURLToPath(new URL('../dist/lambda/meta.json', import.meta.url));
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:saga/stripe-api-key-AbC123';
const SESSION_TOKEN = 'lambda-session-token';

let dynamo: DynamoServer;
let dynamodb: DynamoDBClient;
let ordersTable: string;
let stripe: StripeServer;
let extension: { port: number; requests: { url: string | undefined; token: unknown }[]; answer: (status: number, body: unknown) => void; close(): Promise<void> };

/** The AWS Parameters and Secrets Lambda Extension, as the bundle sees it. */
async function startExtension(secretString: () => string): Promise<typeof extension> {
  const requests: { url: string | undefined; token: unknown }[] = [];
  let override: { status: number; body: unknown } | undefined;
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url, token: req.headers['x-aws-parameters-secrets-token'] });
    const { status, body } = override ?? { status: 200, body: { ARN: SECRET_ARN, Name: 'saga/stripe-api-key', SecretString: secretString() } };
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    answer: (status, body) => (override = { status, body }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; name: string; message: string };

// One cold start: import the bundle, then invoke the handler with each event in turn (warm invocations).
const RUNNER = `
const [bundle, events] = [process.argv[1], JSON.parse(process.argv[2])];
const { handler } = await import(bundle);
const out = [];
for (const event of events) {
  try { out.push({ ok: true, value: await handler(event) }); }
  catch (error) { out.push({ ok: false, name: error.name, message: error.message }); }
}
process.stdout.write('\\n' + JSON.stringify(out) + '\\n');
`;

function invokeBundle(events: unknown[]): Promise<Outcome[]> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ORDERS_TABLE: ordersTable,
    STRIPE_SECRET_ARN: SECRET_ARN,
    STRIPE_API_BASE: stripe.url,
    STRIPE_MAX_NETWORK_RETRIES: '0',
    STRIPE_TIMEOUT_MS: '2000',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
  };
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', RUNNER, pathToFileURL(BUNDLE).href, JSON.stringify(events)],
      { env, encoding: 'utf8', timeout: 15_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the bundle failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Outcome[]);
      },
    );
  });
}

beforeAll(async () => {
  dynamo = await startDynalite();
  dynamodb = createLocalDynamoClient(dynamo.endpoint);
});
afterAll(async () => {
  dynamodb.destroy();
  await dynamo.close();
});
beforeEach(async () => {
  ordersTable = (await createSagaTables(dynamodb, uniqueSagaTableNames('charge-bundle'))).orders;
  stripe = await startStripeServer();
  extension = await startExtension(() => stripe.apiKey);
});
afterEach(async () => {
  await stripe.close();
  await extension.close();
});

describe('the bundled ChargePayment handler (dist/lambda/handler.mjs)', () => {
  it('charges, records and captures; reads the key through the extension once per cold start', async () => {
    const [first, second, replay] = await invokeBundle([
      { order: anOrder() },
      { order: anOrder({ orderId: 'ord-1002' }) },
      { order: anOrder() },
    ]);
    expect(first).toEqual({ ok: true, value: { paymentIntentId: expect.stringMatching(/^pi_/), amount: 2999, currency: 'eur', status: 'captured' } });
    expect(second).toMatchObject({ ok: true, value: { status: 'captured' } });
    expect(replay).toEqual(first); // continued from the order record: retrieved, not charged again
    if (!first?.ok) throw new Error('the first charge failed');
    const pi = first.value['paymentIntentId'];
    expect(await readPaymentRecord(dynamodb, ordersTable, 'ord-1001')).toMatchObject({ paymentIntentId: pi, paymentStatus: 'captured' });
    expect(stripe.ledger({ orderId: 'ord-1001' })).toEqual([expect.objectContaining({ authorisations: 1, captures: 1, captured: 2999 })]);
    expect(stripe.requests({ method: 'POST' }).map((r) => [r.path.replace(/pi_\w+/, ':id'), r.idempotencyKey])).toEqual([
      ['/v1/payment_intents', 'ord-1001:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1001:capture:v1'],
      ['/v1/payment_intents', 'ord-1002:authorise:v1'],
      ['/v1/payment_intents/:id/capture', 'ord-1002:capture:v1'],
    ]);
    expect(extension.requests).toEqual([{ url: `/secretsmanager/get?secretId=${encodeURIComponent(SECRET_ARN)}`, token: SESSION_TOKEN }]);
  });

  it('keeps the saga error names: InvalidOrder, PaymentDeclined (recorded), PaymentProviderUnavailable', async () => {
    const declined = anOrder({ orderId: 'ord-declined', payment: { paymentMethodId: 'pm_card_chargeDeclinedInsufficientFunds' } });
    const [invalid, decline] = await invokeBundle([{ order: { ...anOrder(), currency: 'xyz' } }, { order: declined }]);
    expect(invalid).toMatchObject({ ok: false, name: 'InvalidOrder' });
    expect(decline).toEqual({ ok: false, name: 'PaymentDeclined', message: 'insufficient_funds' });
    expect(await readPaymentRecord(dynamodb, ordersTable, 'ord-declined')).toMatchObject({ paymentStatus: 'declined' });

    stripe.faults.inject({ kind: '500', times: 'always' });
    const [outage] = await invokeBundle([{ order: anOrder({ orderId: 'ord-outage' }) }]);
    expect(outage).toMatchObject({ ok: false, name: 'PaymentProviderUnavailable', message: expect.stringContaining('StripeAPIError') });
  });

  it('a secret the role may not read fails with the Secrets Manager error name, before any charge', async () => {
    extension.answer(400, { __type: 'AccessDeniedException', message: 'not authorized to perform: secretsmanager:GetSecretValue' });
    const [denied] = await invokeBundle([{ order: anOrder() }]);
    expect(denied).toMatchObject({ ok: false, name: 'AccessDeniedException' });
    expect(stripe.requests()).toHaveLength(0);
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
