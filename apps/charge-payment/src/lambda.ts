import type { Logger } from '@aws-lambda-powertools/logger';
import type { ChargeAuthorisation } from '@saga/contracts';
import { createPaymentDeps } from '@saga/lambda-kit/payments';
import type { Context } from 'aws-lambda';
import { chargePayment, type ChargePaymentDeps } from './charge-payment.js';

/** The Powertools service name of this function's logs. */
export const SERVICE_NAME = 'charge-payment';

/** A Lambda handler around {@link chargePayment}: the event is the step input (`{ action: 'authorise' | 'capture', order, ... }`). */
export function createHandler(
  deps: ChargePaymentDeps & { readonly logger: ChargePaymentDeps['logger'] & Partial<Pick<Logger, 'addContext'>> },
): (event: unknown, context?: Context) => Promise<ChargeAuthorisation> {
  return async (event, context) => {
    if (context) deps.logger.addContext?.(context);
    return chargePayment(event, deps);
  };
}

/**
 * The production dependencies ({@link createPaymentDeps}: a lazily keyed Stripe client and a Powertools
 * logger; no AWS client), built once per cold start.
 * @throws {ConfigurationError} when the environment is incomplete
 */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env) {
  return createPaymentDeps(SERVICE_NAME, env);
}
