/**
 * The configuration of the payment Lambdas (ChargePayment, RefundPayment) from environment variables,
 * parsed once per cold start with precise errors.
 *
 * | variable | required | meaning |
 * | --- | --- | --- |
 * | `STRIPE_SECRET_ARN` | yes, unless `STRIPE_SECRET_KEY` | Secrets Manager secret holding the Stripe secret key (read through the Lambda extension) |
 * | `STRIPE_SECRET_KEY` | no | LOCAL RUNS ONLY: a `sk_test_` key used instead of the secret |
 * | `STRIPE_API_BASE` | no | Stripe API base URL, e.g. `http://127.0.0.1:12111` (default: api.stripe.com) |
 * | `STRIPE_TIMEOUT_MS` | no | per-request timeout of the Stripe SDK (default 10000) |
 * | `STRIPE_MAX_NETWORK_RETRIES` | no | the Stripe SDK's own retries, same idempotency key (default 2) |
 *
 * The secret is read through the AWS Parameters and Secrets Lambda Extension (`AWS_SESSION_TOKEN`,
 * `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`; see `secrets-extension.ts`). No table: the state machine
 * reads and writes the order record and passes it in (see `@saga/contracts`, `order-record.ts`).
 */

/** A missing or malformed setting. Its message names the variable, never a secret value. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/** Where and how the Stripe SDK connects. */
export interface StripeConfig {
  /** Secrets Manager secret id or ARN (SecretString: the key, or JSON `{"apiKey": "sk_..."}`). */
  readonly secretArn?: string;
  /** Local runs only: a test key given directly. */
  readonly secretKey?: string;
  /** Set when `STRIPE_API_BASE` is. */
  readonly api?: StripeApiBase;
  readonly timeoutMs: number;
  readonly maxNetworkRetries: number;
}

/** `STRIPE_API_BASE` split into the SDK's `host`, `port` and `protocol` options. */
export interface StripeApiBase {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

/** What a payment Lambda needs to know. */
export interface PaymentConfig {
  readonly stripe: StripeConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const TEST_KEY = /^(sk|rk)_test_[A-Za-z0-9_]{1,247}$/;

/** Reads the configuration. @throws {ConfigurationError} naming the offending variable. */
export function loadPaymentConfig(env: Env = process.env): PaymentConfig {
  const secretArn = optional(env, 'STRIPE_SECRET_ARN');
  const secretKey = optional(env, 'STRIPE_SECRET_KEY');
  if (secretKey !== undefined && !TEST_KEY.test(secretKey)) {
    throw new ConfigurationError('STRIPE_SECRET_KEY is for local runs and accepts test keys only (sk_test_... or rk_test_...); use STRIPE_SECRET_ARN');
  }
  if (secretArn === undefined && secretKey === undefined) {
    throw new ConfigurationError('STRIPE_SECRET_ARN is required (the Secrets Manager secret holding the Stripe key)');
  }
  const base = optional(env, 'STRIPE_API_BASE');
  const stripe: StripeConfig = {
    ...(secretArn === undefined ? {} : { secretArn }),
    ...(secretKey === undefined ? {} : { secretKey }),
    ...(base === undefined ? {} : { api: parseStripeApiBase(base) }),
    timeoutMs: integer(env, 'STRIPE_TIMEOUT_MS', 10_000, 100, 120_000),
    maxNetworkRetries: integer(env, 'STRIPE_MAX_NETWORK_RETRIES', 2, 0, 5),
  };
  return { stripe };
}

/** `http://127.0.0.1:12111` → `{ host: '127.0.0.1', port: 12111, protocol: 'http' }`. */
export function parseStripeApiBase(value: string): StripeApiBase {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError('STRIPE_API_BASE must be an absolute URL such as http://127.0.0.1:12111');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError('STRIPE_API_BASE must use http or https');
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigurationError('STRIPE_API_BASE must be scheme://host[:port] only (no path, query or credentials)');
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port === '' ? (protocol === 'http' ? 80 : 443) : Number(url.port);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port, protocol };
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}`);
  }
  return Number(raw);
}
