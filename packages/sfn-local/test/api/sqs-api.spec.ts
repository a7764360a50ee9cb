import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  MessageNotInflight,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  UnsupportedOperation,
  PurgeQueueCommand,
} from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, DescribeExecutionCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxes, createSqsResolver, type Outboxes } from '../../src/integrations/index.js';
import { definitions, eventually, rawCall, ROLE_ARN, startServer, type TestServer } from './support.js';

/** The SQS API on the engine's endpoint, through the real @aws-sdk/client-sqs. */

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/review';

let server: TestServer | undefined;
let sqs: SQSClient | undefined;
afterEach(async () => {
  sqs?.destroy();
  await server?.close();
  server = undefined;
  sqs = undefined;
});

async function start(outboxes: Outboxes = createOutboxes()): Promise<{ server: TestServer; sqs: SQSClient; outboxes: Outboxes }> {
  server = await startServer({ resolve: createSqsResolver(outboxes), outboxes });
  sqs = new SQSClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { server, sqs, outboxes };
}

/** Starts the callback machine (its Review task sends the task token to QUEUE and waits). */
async function pausedExecution(s: TestServer): Promise<string> {
  const sm = await s.client.send(new CreateStateMachineCommand({ name: 'review', definition: definitions.callback, roleArn: ROLE_ARN }));
  const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{}' }));
  return executionArn!;
}

describe('SQS API on the sfn-local endpoint', () => {
  it('long-polls the message a waitForTaskToken task sent; its body is the token; SendTaskSuccess + DeleteMessage finish it', async () => {
    const { server, sqs } = await start();
    const polled = sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, WaitTimeSeconds: 10, MessageSystemAttributeNames: ['All'] }));
    const executionArn = await pausedExecution(server);
    const { Messages } = await polled;
    expect(Messages).toHaveLength(1);
    const [m] = Messages!;
    expect(m!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '123456789012' });
    expect(Number(m!.Attributes!.SentTimestamp)).toBeGreaterThan(0);
    await server.client.send(new SendTaskSuccessCommand({ taskToken: m!.Body!, output: '{}' }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: QUEUE, ReceiptHandle: m!.ReceiptHandle! }));
    const done = await eventually(async () => {
      const d = await server.client.send(new DescribeExecutionCommand({ executionArn }));
      return d.status !== 'RUNNING' && d;
    });
    expect(done.status).toBe('SUCCEEDED');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: QUEUE, AttributeNames: ['All'] }));
    expect(attrs.Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      QueueArn: 'arn:aws:sqs:us-east-1:123456789012:review',
    });
  });

  it('a long poll with nothing to receive answers empty after WaitTimeSeconds', async () => {
    const { sqs } = await start();
    const started = Date.now();
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, WaitTimeSeconds: 1 }));
    expect(out.Messages ?? []).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('receive hides messages for VisibilityTimeout; ChangeMessageVisibility 0 shows them again; counts follow', async () => {
    const { sqs } = await start();
    for (const body of ['a', 'b', 'c']) await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: body }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, MaxNumberOfMessages: 2, VisibilityTimeout: 60 }));
    expect(first.Messages!.map((m) => m.Body)).toEqual(['a', 'b']);
    const counts = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: QUEUE, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(counts.Attributes).toEqual({ ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '2' });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: QUEUE, ReceiptHandle: first.Messages![1]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    expect(second.Messages!.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['b', '2'],
      ['c', '1'],
    ]);
    // The first receipt handle of 'b' went stale when it was received again.
    const stale = await sqs
      .send(new DeleteMessageCommand({ QueueUrl: QUEUE, ReceiptHandle: first.Messages![1]!.ReceiptHandle! }))
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('message attributes come back when asked for, with their MD5 (checked by the SDK)', async () => {
    const { sqs } = await start();
    const attrs = { kind: { DataType: 'String', StringValue: 'review' }, other: { DataType: 'Number', StringValue: '7' } };
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: 'x', MessageAttributes: attrs }));
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, MessageAttributeNames: ['kind'], AttributeNames: ['All'] }));
    // The deprecated AttributeNames asks for system attributes too.
    expect(Object.keys(out.Messages![0]!.Attributes!)).toEqual(['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp']);
    expect(out.Messages![0]!.MessageAttributes).toEqual({ kind: attrs.kind });
    expect(out.Messages![0]!.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('GetQueueUrl and ListQueues find the queues state machines sent to; a local URL with the same path reaches them', async () => {
    const { sqs } = await start();
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: 'x' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/other', MessageBody: 'y' }));
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'review' }))).QueueUrl).toBe(QUEUE);
    expect((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'rev' }))).QueueUrls).toEqual([QUEUE]);
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
    expect(page.QueueUrls).toHaveLength(1);
    const rest = await sqs.send(new ListQueuesCommand({ MaxResults: 1, NextToken: page.NextToken! }));
    expect(rest.QueueUrls).toHaveLength(1);
    expect(rest.NextToken).toBeUndefined();
    const local = `${server!.endpoint}/123456789012/review`;
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: local }))).Messages![0]!.Body).toBe('x');
  });

  it('answers AWS-shaped errors the SDK maps to its exception classes', async () => {
    const { sqs } = await start(createOutboxes({ autoCreate: false }));
    const missing = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(missing).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', message: 'The specified queue does not exist.' });
    expect(await sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((e: unknown) => e)).toBeInstanceOf(QueueDoesNotExist);
  });

  it('ReceiptHandleIsInvalid, MessageNotInflight, UnsupportedOperation and parameter errors', async () => {
    const { sqs } = await start();
    await sqs.send(new SendMessageCommand({ QueueUrl: QUEUE, MessageBody: 'x' }));
    const bad = await sqs.send(new DeleteMessageCommand({ QueueUrl: QUEUE, ReceiptHandle: 'nope' })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ReceiptHandleIsInvalid);
    const [m] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, VisibilityTimeout: 60 }))).Messages!;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: QUEUE, ReceiptHandle: m!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const notInFlight = await sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: QUEUE, ReceiptHandle: m!.ReceiptHandle!, VisibilityTimeout: 0 }))
      .catch((e: unknown) => e);
    expect(notInFlight).toBeInstanceOf(MessageNotInflight);
    expect(await sqs.send(new PurgeQueueCommand({ QueueUrl: QUEUE })).catch((e: unknown) => e)).toBeInstanceOf(UnsupportedOperation);
    const tooMany = await sqs.send(new ReceiveMessageCommand({ QueueUrl: QUEUE, MaxNumberOfMessages: 11 })).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    const noUrl = await sqs.send(new ReceiveMessageCommand({ QueueUrl: 'not a url' })).catch((e: unknown) => e);
    expect(noUrl).toMatchObject({ name: 'InvalidAddress' });
  });

  it('a long poll stops when the client hangs up, and the server closes without waiting for it', async () => {
    const { server } = await start();
    const controller = new AbortController();
    const call = fetch(server.endpoint + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
      body: JSON.stringify({ QueueUrl: QUEUE, WaitTimeSeconds: 20 }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    expect(await call).toBeInstanceOf(Error);
    const started = Date.now();
    const pending = fetch(server.endpoint + '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
      body: JSON.stringify({ QueueUrl: QUEUE, WaitTimeSeconds: 20 }),
    }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('without outboxes the endpoint does not serve SQS', async () => {
    server = await startServer();
    const res = await rawCall(server.endpoint, 'AmazonSQS.ListQueues', '{}');
    expect(res.status).toBe(400);
    expect(res.json.__type).toBe('com.amazonaws.sfn#UnknownOperationException');
  });
});
