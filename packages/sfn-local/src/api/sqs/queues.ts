import type { LocalQueue, Outboxes } from '../../integrations/outbox.js';
import { sqsErrors } from './errors.js';

/** What the SQS API serves: the engine's local queues, and the region/account of ARNs it makes up. */
export interface SqsContext {
  outboxes: Outboxes;
  region: string;
  account: string;
}

/** `<scheme>://<host>/<account>/<name>` -> its account and name (any host: AWS's or a local endpoint). */
export function queuePath(url: string): { account: string; name: string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  if (segments.length < 2) return undefined;
  return { account: decodeURIComponent(segments.at(-2)!), name: decodeURIComponent(segments.at(-1)!) };
}

/**
 * The local queue a QueueUrl names: the queue with that exact URL, else the one with the same
 * `/<account>/<name>` path (so `http://127.0.0.1:8083/123456789012/review` reaches the queue a
 * state machine sent to as `https://sqs.us-east-1.amazonaws.com/123456789012/review`).
 */
export function findQueue(outboxes: Outboxes, url: string): LocalQueue | undefined {
  if (outboxes.hasQueue(url)) return outboxes.queue(url);
  const path = queuePath(url);
  if (!path) return undefined;
  return outboxes.queues().find((q) => {
    const other = queuePath(q.url);
    return other !== undefined && other.account === path.account && other.name === path.name;
  });
}

/**
 * The queue a request's QueueUrl names. A QueueUrl that is no URL is `InvalidAddress`. An unknown
 * queue is `QueueDoesNotExist`, unless the outboxes create queues on first send (`autoCreate`,
 * the default): then every queue exists, and one nobody sent to yet is empty (undefined here; it
 * is not declared, so a later send under its exact URL is what creates it).
 */
export function queueFor(ctx: SqsContext, url: string): LocalQueue | undefined {
  if (!URL.canParse(url)) throw sqsErrors.invalidAddress(url);
  const queue = findQueue(ctx.outboxes, url);
  if (!queue && !ctx.outboxes.autoCreate) throw sqsErrors.queueDoesNotExist();
  return queue;
}

/** `arn:aws:sqs:<region>:<account>:<name>`; the region from an AWS host, else the engine's. */
export function queueArn(ctx: SqsContext, url: string): string {
  const path = queuePath(url);
  const host = URL.canParse(url) ? new URL(url).hostname : '';
  const region = /^sqs\.([a-z0-9-]+)\.amazonaws\.com$/.exec(host)?.[1] ?? /^([a-z0-9-]+)\.queue\.amazonaws\.com$/.exec(host)?.[1] ?? ctx.region;
  return `arn:aws:sqs:${region}:${path?.account ?? ctx.account}:${path?.name ?? url}`;
}
