import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import { createEventBridgeResolver } from '../../src/integrations/eventbridge.js';
import { createOutboxes, type OutboxRecord } from '../../src/integrations/outbox.js';
import { createSnsResolver } from '../../src/integrations/sns.js';
import { createSqsResolver, md5OfMessageAttributes } from '../../src/integrations/sqs.js';
import { answer, EXECUTION, invocation, rejection } from './support.js';

const SEND = 'arn:aws:states:::sqs:sendMessage';
const PUBLISH = 'arn:aws:states:::sns:publish';
const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/review';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ops-alerts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('sqs:sendMessage', () => {
  it('object MessageBody is sent as JSON; the result has the real MD5 and a MessageId', async () => {
    const outboxes = createOutboxes();
    const send = createSqsResolver(outboxes);
    const result = (await answer(send(invocation(SEND, { QueueUrl: QUEUE, MessageBody: { orderId: 'o1', reason: 'review' } })))) as any;
    const body = '{"orderId":"o1","reason":"review"}';
    expect(result.MD5OfMessageBody).toBe(md5(body));
    expect(result.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(result.SdkResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const [message] = outboxes.queue(QUEUE).messages();
    expect(message).toMatchObject({ MessageId: result.MessageId, Body: body, MD5OfBody: md5(body) });
    expect(message!.Origin).toEqual({
      executionArn: EXECUTION.executionArn,
      stateMachineArn: EXECUTION.stateMachineArn,
      stateName: 'Task',
    });
  });

  it('string bodies are sent as they are; messages() lists every message in order', async () => {
    const outboxes = createOutboxes();
    const send = createSqsResolver(outboxes);
    for (const body of ['first', 'second', 'third']) await answer(send(invocation(SEND, { QueueUrl: QUEUE, MessageBody: body })));
    expect(outboxes.queue(QUEUE).messages().map((m) => m.Body)).toEqual(['first', 'second', 'third']);
  });

  it('MessageAttributes are kept and their MD5 is computed as SQS does', async () => {
    const outboxes = createOutboxes();
    const send = createSqsResolver(outboxes);
    const attrs = { kind: { DataType: 'String', StringValue: 'review' } };
    const result = (await answer(send(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'x', MessageAttributes: attrs })))) as any;
    expect(result.MD5OfMessageAttributes).toBe(md5OfMessageAttributes(attrs));
    // Known value (SQS documentation's example attribute).
    expect(md5OfMessageAttributes({ SellerName: { DataType: 'String', StringValue: 'Example Store' } })).toBe(
      'cd28f3b68aeee4b2eac9c66f2f694b58',
    );
    expect(outboxes.queue(QUEUE).messages()[0]!.MessageAttributes).toEqual(attrs);
  });

  it('receive hides messages for the visibility timeout; delete removes them', async () => {
    let now = 1_000;
    const outboxes = createOutboxes({ now: () => now });
    const send = createSqsResolver(outboxes);
    for (const body of ['a', 'b', 'c']) await answer(send(invocation(SEND, { QueueUrl: QUEUE, MessageBody: body })));
    const queue = outboxes.queue(QUEUE);
    const first = queue.receive({ max: 2, visibilityTimeoutMs: 5_000 });
    expect(first.map((m) => [m.Body, m.ApproximateReceiveCount])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(queue.receive({ max: 10 }).map((m) => m.Body)).toEqual(['c']);
    expect(queue.receive({ max: 10 })).toEqual([]);
    expect(queue.delete(first[0]!.ReceiptHandle)).toBe(true);
    expect(queue.delete(first[0]!.ReceiptHandle)).toBe(false);
    expect(queue.delete('no-such-handle')).toBe(false);
    now += 5_000;
    const again = queue.receive({ max: 10 });
    expect(again.map((m) => [m.Body, m.ApproximateReceiveCount])).toEqual([['b', 2]]);
    // The older receipt handle of 'b' is stale once it was received again.
    expect(queue.delete(first[1]!.ReceiptHandle)).toBe(false);
    expect(queue.delete(again[0]!.ReceiptHandle)).toBe(true);
    expect(queue.pending().map((m) => m.Body)).toEqual(['c']);
    expect(queue.messages().map((m) => m.Body)).toEqual(['a', 'b', 'c']);
  });

  it('release makes a received message visible again', async () => {
    const outboxes = createOutboxes();
    await answer(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'a' })));
    const queue = outboxes.queue(QUEUE);
    const [m] = queue.receive();
    expect(queue.receive()).toEqual([]);
    expect(queue.release(m!.ReceiptHandle)).toBe(true);
    expect(queue.receive().map((x) => x.ApproximateReceiveCount)).toEqual([2]);
  });

  it('FIFO queues need MessageGroupId and hand out one message per group at a time', async () => {
    const outboxes = createOutboxes();
    const send = createSqsResolver(outboxes);
    const fifo = `${QUEUE}.fifo`;
    const e = (await rejection(send(invocation(SEND, { QueueUrl: fifo, MessageBody: 'a' })))) as StatesError;
    expect(e.name).toBe('SQS.AmazonSQSException');
    expect(e.cause).toContain('MessageGroupId');
    for (const [body, group] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
    ]) {
      await answer(send(invocation(SEND, { QueueUrl: fifo, MessageBody: body!, MessageGroupId: group! })));
    }
    expect(outboxes.queue(fifo).receive({ max: 10 }).map((m) => m.Body)).toEqual(['a1', 'b1']);
  });

  it('missing QueueUrl or MessageBody is States.Runtime; an unknown queue without auto-create is SQS.QueueDoesNotExistException', async () => {
    const send = createSqsResolver(createOutboxes());
    const e1 = (await rejection(send(invocation(SEND, { MessageBody: 'x' })))) as StatesError;
    expect(e1.name).toBe('States.Runtime');
    expect(e1.cause).toContain("[The field 'QueueUrl' is required but was missing]");
    const e2 = (await rejection(send(invocation(SEND, { QueueUrl: QUEUE })))) as StatesError;
    expect(e2.cause).toContain("[The field 'MessageBody' is required but was missing]");
    const e3 = (await rejection(send(invocation(SEND, { QueueUrl: 42, MessageBody: 'x' })))) as StatesError;
    expect(e3.cause).toContain("[The value for the field 'QueueUrl' must be a STRING]");

    const strict = createOutboxes({ autoCreate: false });
    const sendStrict = createSqsResolver(strict);
    const e4 = (await rejection(sendStrict(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'x' })))) as StatesError;
    expect(e4.name).toBe('SQS.QueueDoesNotExistException');
    expect(e4.cause).toMatch(/^The specified queue does not exist for this wsdl version\. \(Service: AmazonSQS; Status Code: 400; /);
    strict.queue(QUEUE);
    await answer(sendStrict(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'x' })));
  });

  it('sendMessage.waitForTaskToken is handled; other SQS actions are not', async () => {
    const outboxes = createOutboxes();
    const send = createSqsResolver(outboxes);
    await answer(send(invocation(`${SEND}.waitForTaskToken`, { QueueUrl: QUEUE, MessageBody: { token: 'tok' } }, { taskToken: 'tok' })));
    expect(outboxes.queue(QUEUE).messages()[0]!.Body).toBe('{"token":"tok"}');
    expect(send(invocation('arn:aws:states:::sqs:receiveMessage', {}))).toBeUndefined();
  });
});

describe('sns:publish', () => {
  it('records the message on the topic and returns a MessageId', async () => {
    const outboxes = createOutboxes();
    const publish = createSnsResolver(outboxes);
    const result = (await answer(
      publish(invocation(PUBLISH, { TopicArn: TOPIC, Subject: 'Order failed', Message: { orderId: 'o1', error: 'X' } })),
    )) as any;
    expect(result.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.SdkResponseMetadata.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const published = outboxes.topic(TOPIC).published();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      MessageId: result.MessageId,
      TopicArn: TOPIC,
      Subject: 'Order failed',
      Message: '{"orderId":"o1","error":"X"}',
    });
  });

  it('a missing target is SNS.InvalidParameterException; an unknown topic without auto-create is SNS.NotFoundException', async () => {
    const publish = createSnsResolver(createOutboxes());
    const e1 = (await rejection(publish(invocation(PUBLISH, { Message: 'x' })))) as StatesError;
    expect(e1.name).toBe('SNS.InvalidParameterException');
    const e2 = (await rejection(publish(invocation(PUBLISH, { TopicArn: TOPIC })))) as StatesError;
    expect(e2.name).toBe('States.Runtime');
    const e3 = (await rejection(
      publish(invocation(PUBLISH, { TopicArn: TOPIC, Message: '{"email":"x"}', MessageStructure: 'json' })),
    )) as StatesError;
    expect(e3.name).toBe('SNS.InvalidParameterException');
    expect(e3.cause).toContain('No default entry in JSON message body');
    const strict = createSnsResolver(createOutboxes({ autoCreate: false }));
    const e4 = (await rejection(strict(invocation(PUBLISH, { TopicArn: TOPIC, Message: 'x' })))) as StatesError;
    expect(e4.name).toBe('SNS.NotFoundException');
  });
});

describe('events:putEvents', () => {
  const entry = { Source: 'saga.orders', DetailType: 'OrderFailed', Detail: { orderId: 'o1' } };

  it('appends the execution ARN and state machine ARN to each entry Resources; returns EventIds', async () => {
    const outboxes = createOutboxes();
    const put = createEventBridgeResolver(outboxes);
    const result = (await answer(
      put(invocation(PUT_EVENTS, { Entries: [{ ...entry, Resources: ['arn:aws:s3:::bucket'] }, { ...entry, EventBusName: 'orders' }] })),
    )) as any;
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    expect(result.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = outboxes.bus('default').events();
    expect(event).toMatchObject({
      EventId: result.Entries[0].EventId,
      Source: 'saga.orders',
      DetailType: 'OrderFailed',
      Detail: '{"orderId":"o1"}',
      EventBusName: 'default',
      Resources: ['arn:aws:s3:::bucket', EXECUTION.executionArn, EXECUTION.stateMachineArn],
    });
    expect(outboxes.bus('arn:aws:events:eu-west-1:123456789012:event-bus/orders').events()[0]!.Resources).toEqual([
      EXECUTION.executionArn,
      EXECUTION.stateMachineArn,
    ]);
  });

  it('an injected entry failure fails the task with EventBridge.FailedEntry, Cause = the response JSON', async () => {
    const outboxes = createOutboxes();
    const put = createEventBridgeResolver(outboxes);
    outboxes.bus('default').injectFailure({ errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded', times: 1 });
    const e = (await rejection(put(invocation(PUT_EVENTS, { Entries: [entry, entry] })))) as StatesError;
    expect(e.name).toBe('EventBridge.FailedEntry');
    const response = JSON.parse(e.cause!);
    expect(response.FailedEntryCount).toBe(1);
    expect(response.Entries[0]).toEqual({ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' });
    expect(response.Entries[1].EventId).toMatch(/^[0-9a-f-]{36}$/);
    // The entry that succeeded was delivered; the retry (resending all) succeeds.
    expect(outboxes.bus('default').events()).toHaveLength(1);
    await answer(put(invocation(PUT_EVENTS, { Entries: [entry, entry] })));
    expect(outboxes.bus('default').events()).toHaveLength(3);
  });

  it('invalid entries fail as entries; missing Entries is States.Runtime; more than 10 is a service error', async () => {
    const put = createEventBridgeResolver(createOutboxes());
    const e1 = (await rejection(put(invocation(PUT_EVENTS, { Entries: [{ Source: 's', DetailType: 'd' }] })))) as StatesError;
    expect(e1.name).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(e1.cause!).Entries[0].ErrorCode).toBe('InvalidArgument');
    const e2 = (await rejection(put(invocation(PUT_EVENTS, { Entries: [{ ...entry, Detail: 'not json' }] })))) as StatesError;
    expect(JSON.parse(e2.cause!).Entries[0].ErrorCode).toBe('MalformedDetail');
    const e3 = (await rejection(put(invocation(PUT_EVENTS, {})))) as StatesError;
    expect(e3.name).toBe('States.Runtime');
    const e4 = (await rejection(put(invocation(PUT_EVENTS, { Entries: Array(11).fill(entry) })))) as StatesError;
    expect(e4.name).toBe('EventBridge.AmazonEventBridgeException');
    const strict = createEventBridgeResolver(createOutboxes({ autoCreate: false }));
    const e5 = (await rejection(strict(invocation(PUT_EVENTS, { Entries: [entry] })))) as StatesError;
    expect(JSON.parse(e5.cause!).Entries[0]).toEqual({ ErrorCode: 'NotFoundException', ErrorMessage: 'Event bus default does not exist.' });
  });
});

describe('onRecord and restore', () => {
  it('every delivery and SQS delete is reported as a JSON record; restore loads them back', async () => {
    const outboxes = createOutboxes();
    const records: OutboxRecord[] = [];
    const stop = outboxes.onRecord((r) => records.push(JSON.parse(JSON.stringify(r))));
    await answer(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'a' })));
    await answer(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'b' })));
    await answer(createSnsResolver(outboxes)(invocation(PUBLISH, { TopicArn: TOPIC, Message: 'm' })));
    await answer(
      createEventBridgeResolver(outboxes)(invocation(PUT_EVENTS, { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] })),
    );
    const [received] = outboxes.queue(QUEUE).receive();
    outboxes.queue(QUEUE).delete(received!.ReceiptHandle);
    expect(records.map((r) => [r.kind, r.target])).toEqual([
      ['sqs', QUEUE],
      ['sqs', QUEUE],
      ['sns', TOPIC],
      ['events', 'default'],
      ['sqs-delete', QUEUE],
    ]);
    stop();
    await answer(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'c' })));
    expect(records).toHaveLength(5);

    const restarted = createOutboxes();
    const reported: OutboxRecord[] = [];
    restarted.onRecord((r) => reported.push(r));
    restarted.restore(records);
    restarted.restore(records); // idempotent
    expect(reported).toEqual([]);
    expect(restarted.queue(QUEUE).messages().map((m) => m.Body)).toEqual(['a', 'b']);
    expect(restarted.queue(QUEUE).receive({ max: 10 }).map((m) => m.Body)).toEqual(['b']);
    expect(restarted.topic(TOPIC).published().map((m) => m.Message)).toEqual(['m']);
    expect(restarted.bus('default').events()).toHaveLength(1);
  });

  it('a listener that throws fails the sending task and the message is not delivered', async () => {
    const outboxes = createOutboxes();
    outboxes.onRecord(() => {
      throw new Error('journal full');
    });
    const e = await rejection(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'a' })));
    expect((e as Error).message).toBe('journal full');
    expect(outboxes.queue(QUEUE).messages()).toEqual([]);
  });

  it('readers get copies: mutating a returned message changes nothing', async () => {
    const outboxes = createOutboxes();
    await answer(createSqsResolver(outboxes)(invocation(SEND, { QueueUrl: QUEUE, MessageBody: 'a' })));
    outboxes.queue(QUEUE).messages()[0]!.Body = 'changed';
    expect(outboxes.queue(QUEUE).messages()[0]!.Body).toBe('a');
    expect(outboxes.queues().map((q) => q.url)).toEqual([QUEUE]);
  });
});
