import { SagaError } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createStepHandler } from './step-handler.js';
import { recordingLogger } from './step-logger.js';

const context = { functionName: 'fn', awsRequestId: 'req-1' } as Context;

describe('createStepHandler', () => {
  it('adds the Lambda context to the logger and returns the use case output', async () => {
    const logger = recordingLogger();
    const handler = createStepHandler(logger, async (event) => ({ echoed: event }));
    await expect(handler({ a: 1 }, context)).resolves.toEqual({ echoed: { a: 1 } });
    await expect(handler({ a: 2 })).resolves.toEqual({ echoed: { a: 2 } });
    expect(logger.contexts).toEqual([context]);
  });

  it('works with a logger that takes no context', async () => {
    const { addContext: _, ...plain } = recordingLogger();
    await expect(createStepHandler(plain, async () => 1)(null, context)).resolves.toBe(1);
  });

  it('rethrows unchanged and logs nothing itself by default', async () => {
    const logger = recordingLogger();
    const error = new SagaError('OutOfStock', 'SKU-A');
    await expect(createStepHandler(logger, () => Promise.reject(error))(null)).rejects.toBe(error);
    expect(logger.entries).toEqual([]);
  });

  it('logFailuresAs: logs a saga error by name, retriability and message', async () => {
    const logger = recordingLogger();
    const error = new SagaError('DatabaseUnavailable', 'DynamoDB GetItem failed: ThrottlingException');
    await expect(createStepHandler(logger, () => Promise.reject(error), { logFailuresAs: 'ReleaseStock' })(null)).rejects.toBe(error);
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'ReleaseStock failed',
        attributes: { step: 'ReleaseStock', errorName: 'DatabaseUnavailable', retriable: true, error: 'DynamoDB GetItem failed: ThrottlingException' },
      },
    ]);
  });

  it('logFailuresAs: logs a foreign error by name and status only', async () => {
    const logger = recordingLogger();
    const error = Object.assign(new Error('Table secret-name not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    await expect(createStepHandler(logger, () => Promise.reject(error), { logFailuresAs: 'ReserveStock' })(null)).rejects.toBe(error);
    expect(logger.entries[0]?.attributes).toEqual({
      step: 'ReserveStock',
      errorName: 'ResourceNotFoundException',
      retriable: undefined,
      error: 'ResourceNotFoundException (HTTP 400)',
    });
    expect(JSON.stringify(logger.entries)).not.toContain('secret-name');
  });

  it('logFailuresAs: describes a thrown non-error by its type', async () => {
    const logger = recordingLogger();
    await expect(createStepHandler(logger, () => Promise.reject('boom'), { logFailuresAs: 'X' })(null)).rejects.toBe('boom');
    expect(logger.entries[0]?.attributes).toEqual({ step: 'X', errorName: 'string', retriable: undefined, error: 'string' });
  });
});
