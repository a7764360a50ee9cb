import { Logger } from '@aws-lambda-powertools/logger';
import { loadPaymentConfig } from './config.js';
import { extensionSecretReader } from './secrets-extension.js';
import { createStripeProvider, type StripeProvider } from './stripe-client.js';

/** The logger calls a payment step makes (a Powertools `Logger` fits). */
export type PaymentLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Everything a payment step (ChargePayment, RefundPayment) touches, injected. No AWS client: the state
 * machine reads and writes the order record and passes it in.
 */
export interface PaymentDeps {
  readonly stripe: StripeProvider;
  readonly logger: PaymentLogger;
}

/**
 * The production dependencies of a payment Lambda, built once per cold start: a Stripe client whose
 * key is read on first use through the AWS Parameters and Secrets Lambda Extension (no Secrets
 * Manager SDK client; see {@link extensionSecretReader}) and cached, and a Powertools logger named
 * `serviceName`.
 * @throws {ConfigurationError} when the environment is incomplete (see {@link loadPaymentConfig})
 */
export function createPaymentDeps(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env) {
  const config = loadPaymentConfig(env);
  return {
    stripe: createStripeProvider(config.stripe, extensionSecretReader(env)),
    logger: new Logger({ serviceName }),
  } satisfies PaymentDeps;
}
