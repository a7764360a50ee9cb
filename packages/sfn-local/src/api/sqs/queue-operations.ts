import { sqsErrors } from './errors.js';
import { optionalInteger, optionalString, requiredString, stringList, type SqsInput } from './input.js';
import { queueArn, queueFor, queuePath, type SqsContext } from './queues.js';

/** `GetQueueUrl`: the URL a state machine sent to, found by queue name (and owner account). */
export function getQueueUrl(ctx: SqsContext, input: SqsInput): unknown {
  const name = requiredString(input, 'QueueName');
  const owner = optionalString(input, 'QueueOwnerAWSAccountId');
  const queue = ctx.outboxes.queues().find((q) => {
    const path = queuePath(q.url);
    return path?.name === name && (owner === undefined || path.account === owner);
  });
  if (!queue) throw sqsErrors.queueDoesNotExist();
  return { QueueUrl: queue.url };
}

/** `ListQueues`: the URLs of the local queues, by name prefix, paginated by MaxResults (1..1000). */
export function listQueues(ctx: SqsContext, input: SqsInput): unknown {
  const prefix = optionalString(input, 'QueueNamePrefix') ?? '';
  const max = optionalInteger(input, 'MaxResults', 1, 1000);
  const token = optionalString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw sqsErrors.invalidParameterValue('NextToken', token, 'Invalid token.');
  const urls = ctx.outboxes
    .queues()
    .map((q) => q.url)
    .filter((url) => (queuePath(url)?.name ?? url).startsWith(prefix));
  if (max === undefined) return urls.length > 0 ? { QueueUrls: urls } : {};
  const page = urls.slice(start, start + max);
  const next = start + max < urls.length ? Buffer.from(String(start + max), 'utf8').toString('base64url') : undefined;
  return { ...(page.length > 0 ? { QueueUrls: page } : {}), ...(next ? { NextToken: next } : {}) };
}

/** The queue attributes served: live counts, and SQS's defaults for the settings a local queue does not have. */
const QUEUE_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'FifoQueue',
] as const;

/** `GetQueueAttributes`: `All` or the names listed; an unknown name is InvalidAttributeName. */
export function getQueueAttributes(ctx: SqsContext, input: SqsInput): unknown {
  const url = requiredString(input, 'QueueUrl');
  const names = stringList(input, 'AttributeNames');
  const unknown = names.find((n) => n !== 'All' && !(QUEUE_ATTRIBUTES as readonly string[]).includes(n));
  if (unknown !== undefined) throw sqsErrors.invalidAttributeName(unknown);
  const queue = queueFor(ctx, url);
  const counts = queue?.counts() ?? { visible: 0, inFlight: 0 };
  const values: Record<(typeof QUEUE_ATTRIBUTES)[number], string | undefined> = {
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: '0',
    DelaySeconds: '0',
    MaximumMessageSize: '262144',
    MessageRetentionPeriod: '345600',
    QueueArn: queueArn(ctx, queue?.url ?? url),
    ReceiveMessageWaitTimeSeconds: '0',
    VisibilityTimeout: '30',
    FifoQueue: (queue?.url ?? url).endsWith('.fifo') ? 'true' : undefined,
  };
  const all = names.includes('All');
  const out: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTES) {
    const value = values[name];
    if ((all || names.includes(name)) && value !== undefined) out[name] = value;
  }
  return Object.keys(out).length > 0 ? { Attributes: out } : {};
}
