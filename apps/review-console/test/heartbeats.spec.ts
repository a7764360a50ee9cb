import { SendTaskHeartbeatCommand, SFNClient, SFNServiceException, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ReviewRequest } from '@saga/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { startHeartbeats } from '../src/heartbeats.js';
import { createReviewStore } from '../src/review-store.js';

const sfnMock = mockClient(SFNClient);
const sqsMock = mockClient(SQSClient);
afterEach(() => {
  sfnMock.reset();
  sqsMock.reset();
});

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/review';
const request = (orderId: string, taskToken: string): ReviewRequest => ({
  executionArn: `arn:aws:states:eu-west-1:123456789012:execution:saga:${orderId}`,
  taskToken,
  orderId,
  failedStep: 'BookShipment',
  errorInfo: { Error: 'CarrierResponseInvalid', Cause: 'bad body' },
  requestedAt: '2026-11-22T10:00:00.000Z',
});

function setup() {
  const store = createReviewStore();
  store.upsert({ messageId: 'm1', receiptHandle: 'rh-1' }, { request: request('ord-1', 'token-one-000000000000'), analysisError: undefined });
  store.upsert({ messageId: 'm2', receiptHandle: 'rh-2' }, { request: request('ord-2', 'token-two-000000000000'), analysisError: undefined });
  const lines: string[] = [];
  const heartbeats = startHeartbeats({ sfn: new SFNClient({}), sqs: new SQSClient({}), store, queueUrl: QUEUE, everySeconds: 3600, log: (l) => lines.push(l) });
  return { store, heartbeats, lines };
}

describe('heartbeats of open reviews (WaitForHumanReview has HeartbeatSeconds)', () => {
  it('sends SendTaskHeartbeat for every open review', async () => {
    const { heartbeats } = setup();
    sfnMock.on(SendTaskHeartbeatCommand).resolves({});
    await heartbeats.beat();
    heartbeats.stop();
    expect(sfnMock.commandCalls(SendTaskHeartbeatCommand).map((c) => c.args[0].input.taskToken).sort()).toEqual([
      'token-one-000000000000',
      'token-two-000000000000',
    ]);
  });

  it('a token Step Functions no longer accepts closes its review and deletes its message; a transient error keeps it', async () => {
    const { store, heartbeats, lines } = setup();
    sfnMock
      .on(SendTaskHeartbeatCommand, { taskToken: 'token-one-000000000000' })
      .rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }))
      .on(SendTaskHeartbeatCommand, { taskToken: 'token-two-000000000000' })
      .rejects(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', $metadata: {} }));
    sqsMock.on(DeleteMessageCommand).resolves({});
    await heartbeats.beat();
    heartbeats.stop();
    expect(store.list().map((r) => r.request.orderId)).toEqual(['ord-2']);
    expect(store.recentlyClosed()[0]).toMatchObject({ orderId: 'ord-1', result: { kind: 'task-closed', error: 'TaskTimedOut' } });
    expect(sqsMock.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(['rh-1']);
    expect(lines.join('\n')).toContain('ord-2');
    expect(lines.join('\n')).not.toContain('token-two');
  });
});
