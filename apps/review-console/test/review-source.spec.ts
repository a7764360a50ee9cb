import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createOutboxes, createSqsResolver, startSfnLocal, type SfnLocal } from '@saga/sfn-local';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReviewSource, type ReviewSource } from '../src/review-source.js';
import { createReviewStore } from '../src/review-store.js';
import { eventually } from './support/web-client.js';

/** The poller against the engine's SQS API: what it lists, what it leaves alone, what it deletes. */

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/review';
const request = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:saga:ord-7',
  taskToken: 'token-7',
  orderId: 'ord-7',
  failedStep: 'ReserveStock',
  errorInfo: { Error: 'DatabaseUnavailable' },
  requestedAt: '2026-11-22T10:00:00.000Z',
};

let local: SfnLocal;
let sqs: SQSClient;
let source: ReviewSource | undefined;

beforeEach(async () => {
  const outboxes = createOutboxes();
  local = await startSfnLocal({ resolve: createSqsResolver(outboxes), outboxes });
  sqs = new SQSClient({ endpoint: local.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
});

afterEach(async () => {
  await source?.stop();
  sqs.destroy();
  await local.close();
});

describe('the review source', () => {
  it('lists review requests, reports other messages once and leaves them, refreshes receipt handles', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: JSON.stringify(request) }));
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: '{"hello":"world"}' }));
    const store = createReviewStore();
    const logs: string[] = [];
    source = startReviewSource({ sqs, store, queueUrl: QUEUE, waitSeconds: 1, visibilityTimeoutSeconds: 1, log: (l) => logs.push(l) });
    const review = await eventually(() => store.list()[0], 5_000, 'the review listed');
    expect(review.request).toEqual(request);
    const firstHandle = review.receiptHandle;
    // Both messages become visible again after 1 s and are received again.
    await eventually(() => store.list()[0]!.receiptHandle !== firstHandle, 5_000, 'the receipt handle refreshed');
    expect(store.list()).toHaveLength(1);
    expect(source.status()).toMatchObject({ lastError: undefined, unreadable: 1 });
    expect(logs.filter((l) => l.includes('is not a review request'))).toHaveLength(1);
    expect(logs.join()).not.toContain('world');
  });

  it('deletes the message of a review closed here when it shows up again', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: JSON.stringify(request) }));
    const store = createReviewStore();
    source = startReviewSource({ sqs, store, queueUrl: QUEUE, waitSeconds: 1, visibilityTimeoutSeconds: 1, log: () => undefined });
    const review = await eventually(() => store.list()[0], 5_000, 'the review listed');
    store.close(review, { kind: 'decided', outcome: 'fail' });
    await eventually(async () => {
      const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: QUEUE, AttributeNames: ['All'] }));
      return out.Attributes?.['ApproximateNumberOfMessages'] === '0' && out.Attributes['ApproximateNumberOfMessagesNotVisible'] === '0';
    }, 5_000, 'the closed review\'s message deleted');
    expect(store.list()).toEqual([]);
  });

  it('shows a polling error', async () => {
    const store = createReviewStore();
    source = startReviewSource({ sqs, store, queueUrl: 'not a url', waitSeconds: 0, visibilityTimeoutSeconds: 30, log: () => undefined });
    await eventually(() => source!.status().lastError, 5_000, 'the error reported');
    expect(source.status().lastError).toContain('InvalidAddress');
  });
});
