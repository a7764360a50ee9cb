import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { startStripeServer, type StripeServer } from './stripe-server.js';

/**
 * Running a built Lambda bundle (`dist/lambda/handler.mjs`) the way Lambda does: a fresh Node process
 * per cold start with a Lambda-like environment, its handler invoked with each event in turn (warm
 * invocations), and a stand-in for the AWS Parameters and Secrets Lambda Extension the payment
 * functions read their Stripe key from. What the bundle tests of the apps share.
 */

/** What one invocation gave: the handler's result, or the error it threw (its name and message). */
export type BundleOutcome = { ok: true; value: Record<string, unknown> } | { ok: false; name: string; message: string };

/** The session token the extension stand-in expects (Lambda sets AWS_SESSION_TOKEN; the extension checks it). */
export const LAMBDA_SESSION_TOKEN = 'lambda-session-token';

/** The variables every function gets from the Lambda runtime (credentials in variables), plus `extra`. */
export function lambdaLikeEnv(extra: Readonly<Record<string, string>>): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SESSION_TOKEN: LAMBDA_SESSION_TOKEN,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...extra,
  };
}

// One cold start: import the bundle, then invoke the handler with each event in turn.
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

/** One cold start of `bundle` in a fresh process with `env`, invoked with each event in turn. */
export function invokeBundle(bundle: string, events: readonly unknown[], env: Readonly<Record<string, string>>): Promise<BundleOutcome[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', RUNNER, pathToFileURL(bundle).href, JSON.stringify(events)],
      { env, encoding: 'utf8', timeout: 15_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`the bundle failed: ${error.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as BundleOutcome[]);
      },
    );
  });
}

/** The Parameters and Secrets extension as a bundle sees it (`GET /secretsmanager/get?secretId=...`). */
export interface SecretsExtensionStub {
  readonly port: number;
  /** Requests received: the URL and the `X-Aws-Parameters-Secrets-Token` header. */
  readonly requests: ReadonlyArray<{ url: string | undefined; token: unknown }>;
  /** From now on, answer every request with this status and body (e.g. 403 AccessDeniedException). */
  answer(status: number, body: unknown): void;
  close(): Promise<void>;
}

/** Starts the stand-in on a free localhost port; it answers `{ARN, Name, SecretString: secretString()}`. */
export async function startSecretsExtensionStub(secretArn: string, secretString: () => string): Promise<SecretsExtensionStub> {
  const requests: { url: string | undefined; token: unknown }[] = [];
  let override: { status: number; body: unknown } | undefined;
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url, token: req.headers['x-aws-parameters-secrets-token'] });
    const name = secretArn.split(':secret:')[1]?.replace(/-[A-Za-z0-9]{6}$/, '') ?? 'secret';
    const { status, body } = override ?? { status: 200, body: { ARN: secretArn, Name: name, SecretString: secretString() } };
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

/** A Stripe secret ARN for the payment bundles' tests (the extension stand-in serves it; `STRIPE_SECRET_ARN`). */
export const PAYMENT_BUNDLE_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:saga/stripe-api-key-AbC123';

/** What a payment bundle talks to locally: the Stripe-wire server and the secrets extension stand-in. */
export interface PaymentBundleServers {
  readonly stripe: StripeServer;
  readonly extension: SecretsExtensionStub;
  /** Invokes `bundle` in one fresh process (one cold start), configured as the stack configures a payment function. */
  invoke(bundle: string, events: readonly unknown[]): Promise<BundleOutcome[]>;
  close(): Promise<void>;
}

/** Starts the servers a payment bundle's tests need; `close()` stops both. */
export async function startPaymentBundleServers(): Promise<PaymentBundleServers> {
  const stripe = await startStripeServer();
  const extension = await startSecretsExtensionStub(PAYMENT_BUNDLE_SECRET_ARN, () => stripe.apiKey);
  return {
    stripe,
    extension,
    invoke: (bundle, events) =>
      invokeBundle(
        bundle,
        events,
        lambdaLikeEnv({
          STRIPE_SECRET_ARN: PAYMENT_BUNDLE_SECRET_ARN,
          STRIPE_API_BASE: stripe.url,
          STRIPE_MAX_NETWORK_RETRIES: '0',
          STRIPE_TIMEOUT_MS: '2000',
          PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
        }),
      ),
    close: async () => {
      await Promise.all([stripe.close(), extension.close()]);
    },
  };
}
