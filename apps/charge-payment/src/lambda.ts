import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import type { ChargePaymentOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { chargePayment, type ChargePaymentDeps } from './charge-payment.js';
import { loadConfig } from './config.js';
import { createStripeProvider } from './stripe-client.js';

/** The Powertools service name of this function's logs. */
export const SERVICE_NAME = 'charge-payment';

/** A Lambda handler around {@link chargePayment}: the event is the step input (`{ order }`). */
export function createHandler(
  deps: ChargePaymentDeps & { readonly logger: ChargePaymentDeps['logger'] & Partial<Pick<Logger, 'addContext'>> },
): (event: unknown, context?: Context) => Promise<ChargePaymentOutput> {
  return async (event, context) => {
    if (context) deps.logger.addContext?.(context);
    return chargePayment(event, deps);
  };
}

/**
 * The production dependencies, built once per cold start: AWS clients (endpoints from the AWS SDK's
 * environment, e.g. `AWS_ENDPOINT_URL_DYNAMODB`), a Stripe client whose key is read from Secrets
 * Manager on first use and cached, and a Powertools logger.
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
  } satisfies ChargePaymentDeps;
}
