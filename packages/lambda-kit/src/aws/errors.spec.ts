import { SagaError } from '@saga/contracts';
import { describe, expect, it } from 'vitest';
import {
  describeError,
  isAwsErrorNamed,
  isConditionalCheckFailed,
  isTransientAwsError,
  mapAwsError,
  mapDynamoError,
  TRANSIENT_CANCELLATION_CODES,
} from './errors.js';

const sdkError = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name}: Table saga-orders, item {"email":"ada@example.com"}`), { name, ...extra });

describe('isTransientAwsError', () => {
  it.each([
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
  ])('%s is transient', (name) => expect(isTransientAwsError(sdkError(name))).toBe(true));

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED'])('socket %s is transient', (code) =>
    expect(isTransientAwsError(sdkError('Error', { code }))).toBe(true),
  );

  it('reads the SDK markers: $retryable, $fault server, HTTP 5xx and 429', () => {
    expect(isTransientAwsError(sdkError('X', { $retryable: {} }))).toBe(true);
    expect(isTransientAwsError(sdkError('X', { $fault: 'server' }))).toBe(true);
    expect(isTransientAwsError(sdkError('X', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isTransientAwsError(sdkError('X', { $metadata: { httpStatusCode: 429 } }))).toBe(true);
  });

  it.each([
    ['ResourceNotFoundException', { $fault: 'client', $metadata: { httpStatusCode: 400 } }],
    ['ValidationException', { $metadata: { httpStatusCode: 400 } }],
    ['AccessDeniedException', { $metadata: { httpStatusCode: 403 } }],
    ['ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }],
  ])('%s is a defect', (name, extra) => expect(isTransientAwsError(sdkError(name, extra))).toBe(false));

  it('is false for non-objects', () => {
    expect(isTransientAwsError('ThrottlingException')).toBe(false);
    expect(isTransientAwsError(null)).toBe(false);
  });
});

describe('describeError', () => {
  it('gives the name, code and status, never the message', () => {
    expect(describeError(sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }))).toBe('ResourceNotFoundException (HTTP 400)');
    expect(describeError(sdkError('Error', { code: 'ECONNRESET' }))).toBe('Error ECONNRESET');
    expect(describeError({})).toBe('Error');
    expect(describeError('boom')).toBe('string');
    expect(describeError(sdkError('X'))).not.toContain('ada@example.com');
  });
});

describe('isAwsErrorNamed / isConditionalCheckFailed', () => {
  it('match by name', () => {
    expect(isAwsErrorNamed(sdkError('TransactionCanceledException'), 'TransactionCanceledException')).toBe(true);
    expect(isAwsErrorNamed({ name: 'TransactionCanceledException' }, 'TransactionCanceledException')).toBe(false);
    expect(isConditionalCheckFailed(sdkError('ConditionalCheckFailedException'))).toBe(true);
    expect(isConditionalCheckFailed(sdkError('ValidationException'))).toBe(false);
  });
});

describe('mapAwsError / mapDynamoError', () => {
  it('maps a transient failure to the taxonomy name, with the cause and no message text', () => {
    const cause = sdkError('ThrottlingException', { $metadata: { httpStatusCode: 400 } });
    const mapped = mapAwsError(cause, 'EventPublishFailed', 'EventBridge PutEvents');
    expect(mapped).toBeInstanceOf(SagaError);
    expect(mapped).toMatchObject({ name: 'EventPublishFailed', retriable: true, message: 'EventBridge PutEvents failed: ThrottlingException (HTTP 400)', cause });
    expect(mapDynamoError(cause, 'GetItem')).toMatchObject({ name: 'DatabaseUnavailable', message: 'DynamoDB GetItem failed: ThrottlingException (HTTP 400)' });
  });

  it('returns defects and SagaErrors unchanged', () => {
    const defect = sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } });
    expect(mapDynamoError(defect, 'PutItem')).toBe(defect);
    const saga = new SagaError('OutOfStock', 'SKU-A');
    expect(mapDynamoError(saga, 'PutItem')).toBe(saga);
  });
});

describe('TRANSIENT_CANCELLATION_CODES', () => {
  it('holds the cancellation reasons a retry can clear', () => {
    expect([...TRANSIENT_CANCELLATION_CODES].sort()).toEqual(['ProvisionedThroughputExceeded', 'ThrottlingError', 'TransactionConflict']);
    expect(TRANSIENT_CANCELLATION_CODES.has('ConditionalCheckFailed')).toBe(false);
  });
});
