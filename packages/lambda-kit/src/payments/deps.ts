import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { loadPaymentConfig } from './config.js';
import { extensionSecretReader } from './secrets-extension.js';
import { createStripeProvider, type StripeProvider } from './stripe-client.js';

/** The logger calls a payment step makes (a Powertools `Logger` fits). */
export type PaymentLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Everything a payment step (ChargePayment, RefundPayment) touches, injected. */
export interface PaymentDeps {
  readonly dynamodb: Pick<DynamoDBClient, 'send'>;
  /** The orders table (`ORDERS_TABLE`). */
  readonly ordersTable: string;
  readonly stripe: StripeProvider;
  readonly logger: PaymentLogger;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * The production dependencies of a payment Lambda, built once per cold start: the DynamoDB client
 * (endpoint from the AWS SDK's environment, e.g. `AWS_ENDPOINT_URL_DYNAMODB`; region `AWS_REGION`;
 * standard retry mode), a Stripe client whose key is read on first use through the AWS Parameters
 * and Secrets Lambda Extension (no Secrets Manager SDK client; see {@link extensionSecretReader}) and
 * cached, and a Powertools logger named `serviceName`.
 * @throws {ConfigurationError} when the environment is incomplete (see {@link loadPaymentConfig})
 */
export function createPaymentDeps(serviceName: string, env: Readonly<Record<string, string | undefined>> = process.env) {
  const config = loadPaymentConfig(env);
  const region = env['AWS_REGION']?.trim();
  return {
    // Given, not looked up: the bundles leave out the SDK's EC2 instance-metadata region lookup
    // (Lambda sets AWS_REGION) and its adaptive retry mode (bundle/trims.ts, awsUnusedFeatures).
    dynamodb: new DynamoDBClient({ ...(region ? { region } : {}), retryMode: 'standard' }),
    ordersTable: config.ordersTable,
    stripe: createStripeProvider(config.stripe, extensionSecretReader(env)),
    logger: new Logger({ serviceName }),
    now: () => new Date(),
  } satisfies PaymentDeps;
}
