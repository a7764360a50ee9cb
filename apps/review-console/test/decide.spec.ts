import { InvalidToken, SendTaskSuccessCommand, SFNClient, SFNServiceException, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ReviewRequest } from '@saga/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildOutcome, classifySendTaskError, decide, explainTaskClosed } from '../src/decide.js';
import type { Review } from '../src/review-store.js';

const sfnMock = mockClient(SFNClient);
const sqsMock = mockClient(SQSClient);
afterEach(() => {
  sfnMock.reset();
  sqsMock.reset();
});

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/review';
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAfake-token-value';
const meta = { $metadata: {} };

const request: ReviewRequest = {
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:saga:ord-1',
  taskToken: TOKEN,
  orderId: 'ord-1',
  failedStep: 'BookShipment',
  errorInfo: { Error: 'CarrierResponseInvalid', Cause: 'bad body' },
  requestedAt: '2026-11-22T10:00:00.000Z',
};
const review = (): Review => ({ id: 'r1', messageId: 'm1', receiptHandle: 'rh-1', request, analysisError: undefined, receivedAt: new Date() });
const deps = () => ({ sfn: new SFNClient({}), sqs: new SQSClient({}), queueUrl: QUEUE, log: () => undefined });
const outcome = { outcome: 'retry' as const, reviewer: 'ada', decidedAt: '2026-11-22T10:05:00.000Z' };

describe('classifySendTaskError', () => {
  it('names the errors that close a review: TaskTimedOut, TaskDoesNotExist, InvalidToken', () => {
    expect(classifySendTaskError(new TaskTimedOut({ message: 'Task Timed Out', ...meta }))).toBe('TaskTimedOut');
    expect(classifySendTaskError(new TaskDoesNotExist({ message: 'Task Does Not Exist', ...meta }))).toBe('TaskDoesNotExist');
    expect(classifySendTaskError(new InvalidToken({ message: 'Invalid Token', ...meta }))).toBe('InvalidToken');
  });

  it('leaves every other error alone (the review stays open)', () => {
    expect(classifySendTaskError(new SFNServiceException({ name: 'ThrottlingException', $fault: 'client', ...meta }))).toBeUndefined();
    expect(classifySendTaskError(new Error('socket hang up'))).toBeUndefined();
    expect(classifySendTaskError('nope')).toBeUndefined();
  });

  it('explains each one in words', () => {
    expect(explainTaskClosed('TaskTimedOut')).toMatch(/timed out/);
    expect(explainTaskClosed('TaskDoesNotExist')).toMatch(/no open task/);
    expect(explainTaskClosed('InvalidToken')).toMatch(/invalid/);
  });
});

describe('decide', () => {
  it('sends the outcome with the task token, then deletes the message', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    sqsMock.on(DeleteMessageCommand).resolves({});
    expect(await decide(deps(), review(), outcome)).toEqual({ kind: 'sent', outcome });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({ taskToken: TOKEN, output: JSON.stringify(outcome) });
    expect(sqsMock.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: QUEUE, ReceiptHandle: 'rh-1' });
  });

  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'Task Timed Out', ...meta })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task Does Not Exist', ...meta })],
    ['InvalidToken', new InvalidToken({ message: 'Invalid Token', ...meta })],
  ])('%s: the review is closed and its message deleted', async (name, error) => {
    sfnMock.on(SendTaskSuccessCommand).rejects(error);
    sqsMock.on(DeleteMessageCommand).resolves({});
    const result = await decide(deps(), review(), outcome);
    expect(result).toMatchObject({ kind: 'task-closed', error: name });
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(1);
  });

  it('any other error: failed, the message kept, the token never in the message', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new Error(`connect ECONNREFUSED while sending ${TOKEN}`));
    const result = await decide(deps(), review(), outcome);
    expect(result.kind).toBe('failed');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('a failed delete does not undo a sent decision', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    sqsMock.on(DeleteMessageCommand).rejects(new Error('ReceiptHandleIsInvalid'));
    const logs: string[] = [];
    expect((await decide({ ...deps(), log: (l) => logs.push(l) }, review(), outcome)).kind).toBe('sent');
    expect(logs.join()).toContain('deleting message m1 failed');
  });
});

describe('buildOutcome', () => {
  const now = new Date('2026-11-22T10:05:00.000Z');
  it('builds a ReviewOutcome from the form, the note only when written', () => {
    expect(buildOutcome({ outcome: 'compensate', reviewer: ' ada ', note: '' }, now)).toEqual({
      ok: true,
      outcome: { outcome: 'compensate', reviewer: 'ada', decidedAt: '2026-11-22T10:05:00.000Z' },
    });
    expect(buildOutcome({ outcome: 'fail', reviewer: 'ada', note: 'refunded by hand' }, now)).toMatchObject({ ok: true, outcome: { note: 'refunded by hand' } });
  });

  it('refuses an unknown outcome or a missing reviewer', () => {
    expect(buildOutcome({ outcome: 'approve', reviewer: 'ada' }, now)).toMatchObject({ ok: false });
    const missing = buildOutcome({ outcome: 'retry', reviewer: '' }, now);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.issues.join()).toContain('reviewer');
  });
});
