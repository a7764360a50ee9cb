import { Logger } from '@aws-lambda-powertools/logger';
import { isSagaError } from '@saga/contracts';
import { describeError } from '../aws/errors.js';

/**
 * Keys under which the saga's contracts carry customer personal data (`Order.customer` and its
 * address). A value logged under one of them is replaced, whatever it is.
 */
export const PERSONAL_DATA_KEYS: ReadonlySet<string> = new Set(['customer', 'email', 'phone', 'shippingAddress', 'address', 'line1', 'line2', 'postalCode']);

/** What replaces a value under a {@link PERSONAL_DATA_KEYS} key. */
export const REDACTED = '[redacted]';

/**
 * The JSON replacer of {@link createLogger}'s loggers, a second line of defence behind the rule that
 * attributes carry ids only: personal-data keys are redacted, and errors are logged by name (a
 * `SagaError` with its message, written to be PII-free; a foreign error as name, code and HTTP status,
 * since SDK and HTTP messages may quote data).
 */
export function piiSafeReplacer(key: string, value: unknown): unknown {
  if (PERSONAL_DATA_KEYS.has(key) && value !== undefined) return REDACTED;
  if (value instanceof Error) {
    return isSagaError(value)
      ? { name: value.name, message: value.message, retriable: value.retriable }
      : { name: value.name, description: describeError(value) };
  }
  return value;
}

/**
 * The Powertools logger of a Lambda: JSON lines with `service` = `serviceName`, the level from
 * `POWERTOOLS_LOG_LEVEL` (default INFO), and {@link piiSafeReplacer}. Create it once, at cold start.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName, jsonReplacerFn: piiSafeReplacer });
}
