import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import type { RefundPaymentOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { loadConfig } from './config.js';
import { refundPayment, type RefundPaymentDeps } from './refund-payment.js';
import { createStripeProvider } from './stripe-client.js';

/** The Powertools service name of this function's logs. */
export const SERVICE_NAME = 'refund-payment';

/** A Lambda handler around {@link refundPayment}: the event is the step input (`{ order, payment? }`). */
export function createHandler(
  deps: RefundPaymentDeps & { readonly logger: RefundPaymentDeps['logger'] & Partial<Pick<Logger, 'addContext'>> },
): (event: unknown, context?: Context) => Promise<RefundPaymentOutput> {
  return async (event, context) => {
    if (context) deps.logger.addContext?.(context);
    return refundPayment(event, deps);
  };
}

/**
 * The production dependencies, built once per cold start (see charge-payment: same configuration).
 * @throws {ConfigurationError} when the environment is incomplete
 */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env) {
  const config = loadConfig(env);
  const secrets = new SecretsManagerClient({});
  return {
    dynamodb: new DynamoDBClient({}),
    ordersTable: config.ordersTable,
    stripe: createStripeProvider(config.stripe, secrets),
    logger: new Logger({ serviceName: SERVICE_NAME }),
    now: () => new Date(),
  } satisfies RefundPaymentDeps;
}
