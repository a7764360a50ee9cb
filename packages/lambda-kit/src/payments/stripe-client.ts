import Stripe from 'stripe';
import { ConfigurationError, type StripeConfig } from './config.js';
import type { SecretReader } from './secrets-extension.js';
import type { PaymentStripe } from './stripe-resources.js';

/**
 * Gives the Stripe client, creating it (and reading its key) on first use. It is typed as the
 * resources the payment steps use ({@link PaymentStripe}): their bundles register no others.
 */
export type StripeProvider = () => Promise<PaymentStripe>;

/**
 * A provider that reads the key ONCE (the secret through `readSecret`, or the local-only
 * `STRIPE_SECRET_KEY`) and then reuses one client: create it at module scope so a cold start reads the
 * secret once and warm invocations reuse it. A failed read is not cached; the next call tries again.
 * The key is read on the first call, inside an invocation (the Lambda extension does not answer
 * during the init phase).
 */
export function createStripeProvider(config: StripeConfig, readSecret: SecretReader): StripeProvider {
  let client: Promise<Stripe> | undefined;
  return () => {
    client ??= (async () => {
      const key = config.secretKey ?? (await readStripeKey(readSecret, config.secretArn!));
      return createStripeClient(key, config);
    })().catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
}

/** A Stripe client with the configured endpoint, timeout and retries (telemetry off). */
export function createStripeClient(key: string, config: Pick<StripeConfig, 'api' | 'timeoutMs' | 'maxNetworkRetries'>): Stripe {
  return new Stripe(key, {
    ...(config.api ?? {}),
    timeout: config.timeoutMs,
    maxNetworkRetries: config.maxNetworkRetries,
    telemetry: false,
  });
}

const STRIPE_KEY = /^(sk|rk)_(test|live)_[A-Za-z0-9_]{1,247}$/;

/**
 * Reads the Stripe secret key: SecretString is the key itself or JSON `{"apiKey": "..."}`.
 * @throws {ConfigurationError} when the secret holds no key (its content is never quoted)
 */
export async function readStripeKey(readSecret: SecretReader, secretId: string): Promise<string> {
  const text = (await readSecret(secretId))?.trim();
  if (!text) throw new ConfigurationError('the Stripe secret has no SecretString');
  let key: unknown = text;
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      key = json['apiKey'] ?? json['secretKey'] ?? json['STRIPE_SECRET_KEY'];
    } catch {
      throw new ConfigurationError('the Stripe secret is neither a key nor JSON with an "apiKey" field');
    }
  }
  if (typeof key !== 'string' || !STRIPE_KEY.test(key)) {
    throw new ConfigurationError('the Stripe secret does not hold a Stripe secret key (sk_... or rk_...)');
  }
  return key;
}

/** The SDK's error classes by `type` (its `name` is plain `Error`). */
export type StripeErrorType =
  | 'StripeCardError'
  | 'StripeInvalidRequestError'
  | 'StripeAPIError'
  | 'StripeAuthenticationError'
  | 'StripePermissionError'
  | 'StripeRateLimitError'
  | 'StripeConnectionError'
  | 'StripeIdempotencyError'
  | (string & {});

/** The fields of a Stripe SDK error this code reads. */
export interface StripeErrorLike extends Error {
  type: StripeErrorType;
  rawType?: string;
  code?: string;
  decline_code?: string;
  statusCode?: number;
  requestId?: string;
  payment_intent?: Stripe.PaymentIntent;
}

/** Whether `error` is a Stripe SDK error (optionally of one class). Duck-typed: safe across bundles. */
export function isStripeError(error: unknown, type?: StripeErrorType): error is StripeErrorLike {
  if (!(error instanceof Error)) return false;
  const t = (error as { type?: unknown }).type;
  return typeof t === 'string' && /^Stripe[A-Za-z]*Error$/.test(t) && (type === undefined || t === type);
}

/** Stripe outages: rate limiting, 5xx (and 409 in-flight keys), network failures. Retry with the same key. */
export function isProviderUnavailable(error: unknown): error is StripeErrorLike {
  return isStripeError(error) && ['StripeRateLimitError', 'StripeAPIError', 'StripeConnectionError'].includes(error.type);
}

/** A PII-free summary of a Stripe error for logs and error messages. */
export function stripeErrorFacts(error: StripeErrorLike): Record<string, string | number> {
  const facts: Record<string, string | number> = { type: error.type };
  if (error.statusCode !== undefined) facts['statusCode'] = error.statusCode;
  if (error.code) facts['code'] = error.code;
  if (error.decline_code) facts['declineCode'] = error.decline_code;
  if (error.requestId) facts['requestId'] = error.requestId;
  return facts;
}

/** One line: `StripeRateLimitError 429 rate_limit (req_123)`. */
export function describeStripeError(error: StripeErrorLike): string {
  const parts: string[] = [error.type];
  if (error.statusCode !== undefined) parts.push(String(error.statusCode));
  if (error.code) parts.push(error.code);
  if (error.requestId) parts.push(`(${error.requestId})`);
  return parts.join(' ');
}

/**
 * A Stripe error the step does not map to the saga taxonomy (authentication, permission, an invalid
 * request, an idempotency conflict). Its `name` is the SDK class (`StripeAuthenticationError`, ...) so
 * Step Functions reports it and the error analyser can classify it; the message holds no Stripe text.
 */
export class UnexpectedStripeError extends Error {
  override readonly name: string;

  constructor(error: StripeErrorLike, doing: string) {
    super(`${doing}: ${describeStripeError(error)}`, { cause: error });
    this.name = error.type;
  }
}
