import type { Logger } from '@aws-lambda-powertools/logger';
import type { RefundPaymentOutput } from '@saga/contracts';
import { createPaymentDeps } from '@saga/lambda-kit/payments';
import type { Context } from 'aws-lambda';
import { refundPayment, type RefundPaymentDeps } from './refund-payment.js';

/** The Powertools service name of this function's logs. */
export const SERVICE_NAME = 'refund-payment';

/** A Lambda handler around {@link refundPayment}: the event is the step input (`{ order, record }`). */
export function createHandler(
  deps: RefundPaymentDeps & { readonly logger: RefundPaymentDeps['logger'] & Partial<Pick<Logger, 'addContext'>> },
): (event: unknown, context?: Context) => Promise<RefundPaymentOutput> {
  return async (event, context) => {
    if (context) deps.logger.addContext?.(context);
    return refundPayment(event, deps);
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
