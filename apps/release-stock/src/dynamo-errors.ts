import { SagaError } from '@saga/contracts';

// How DynamoDB failures map to the saga's taxonomy. Transient failures (throttling, conflicts, 5xx,
// network) become `DatabaseUnavailable`, which the state machine retries; anything else (a missing
// table, a validation error, access denied) is a defect and is rethrown unchanged so it escalates.

/** Exception names DynamoDB (or the SDK) raises for transient conditions. */
const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node socket errors: the request may or may not have reached DynamoDB; the caller's write is idempotent. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** `CancellationReasons[].Code`s of a cancelled transaction that a retry can clear. */
export const TRANSIENT_CANCELLATION_CODES = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when a retry of the same request can succeed. */
export function isTransientDynamoError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorShape;
  if (typeof e.name === 'string' && TRANSIENT_ERROR_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

/** A PII-free description of an SDK error: its name and HTTP status. */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const e = error as AwsErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? ` ${e.code}` : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return `${name}${code}${status}`;
}

/**
 * Maps a failed DynamoDB call: transient → `DatabaseUnavailable` (with the original as `cause`),
 * anything else → the original error.
 */
export function mapDynamoError(error: unknown, operation: string): unknown {
  if (error instanceof SagaError) return error;
  if (isTransientDynamoError(error)) {
    return new SagaError('DatabaseUnavailable', `DynamoDB ${operation} failed: ${describeError(error)}`, { cause: error });
  }
  return error;
}
