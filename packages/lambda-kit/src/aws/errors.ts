import { SagaError, type SagaErrorName } from '@saga/contracts';

// How AWS SDK failures map to the saga's taxonomy. Transient failures (throttling, conflicts, 5xx,
// network) become a retriable taxonomy error (`DatabaseUnavailable`, `EventPublishFailed`, ...), which
// the state machine retries; anything else (a missing table or bus, a validation error, access denied)
// is a defect and is rethrown unchanged so it escalates.

/** Exception names AWS services (DynamoDB, EventBridge, ...) or the SDK raise for transient conditions. */
const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalException',
  'InternalFailure',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Node socket errors: the request may or may not have arrived; callers' writes are idempotent. */
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** `CancellationReasons[].Code`s of a cancelled DynamoDB transaction that a retry can clear. */
export const TRANSIENT_CANCELLATION_CODES: ReadonlySet<string> = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/** True when a retry of the same request can succeed (throttling, 5xx, timeouts, socket errors). */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorShape;
  if (typeof e.name === 'string' && TRANSIENT_ERROR_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status >= 500 || status === 429);
}

/**
 * A PII-free description of a foreign error: its name, socket code and HTTP status, never its message
 * (SDK messages may quote keys and values).
 */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const e = error as AwsErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const code = typeof e.code === 'string' ? ` ${e.code}` : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  return `${name}${code}${status}`;
}

/** Whether `error` is an Error named `name` (SDK exception classes set `name`; no class import needed). */
export function isAwsErrorNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** A failed conditional write (`ConditionalCheckFailedException`). */
export function isConditionalCheckFailed(error: unknown): boolean {
  return isAwsErrorNamed(error, 'ConditionalCheckFailedException');
}

/**
 * Maps a failed AWS call: a {@link SagaError} passes through, a transient failure becomes `taxonomyName`
 * (`<call> failed: <description>`, the original as `cause`), anything else is returned unchanged.
 *
 * @example throw mapAwsError(error, 'EventPublishFailed', 'EventBridge PutEvents');
 */
export function mapAwsError(error: unknown, taxonomyName: SagaErrorName, call: string): unknown {
  if (error instanceof SagaError) return error;
  if (isTransientAwsError(error)) return new SagaError(taxonomyName, `${call} failed: ${describeError(error)}`, { cause: error });
  return error;
}

/** A failed DynamoDB call: transient → `DatabaseUnavailable` (`DynamoDB <operation> failed: ...`), else unchanged. */
export function mapDynamoError(error: unknown, operation: string): unknown {
  return mapAwsError(error, 'DatabaseUnavailable', `DynamoDB ${operation}`);
}
