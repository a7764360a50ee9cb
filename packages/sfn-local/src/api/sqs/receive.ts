import type { Outboxes, ReceivedSqsMessage } from '../../integrations/outbox.js';
import { selectMessageAttributes, systemAttributes } from './attributes.js';
import { optionalInteger, requiredString, stringList, type SqsInput } from './input.js';
import { queueFor, type SqsContext } from './queues.js';

/** How often a long poll looks again when nothing was sent (messages whose visibility timeout ran out). */
const POLL_INTERVAL_MS = 100;
/** SQS's default visibility timeout of a queue. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/**
 * `ReceiveMessage`: up to MaxNumberOfMessages (1..10) visible messages, hidden for
 * VisibilityTimeout seconds. With WaitTimeSeconds (1..20) it long-polls: answers as soon as a
 * message is there, or empty when the time is up or the client hung up (`signal`).
 */
export async function receiveMessage(ctx: SqsContext, input: SqsInput, signal: AbortSignal): Promise<unknown> {
  const url = requiredString(input, 'QueueUrl');
  const max = optionalInteger(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
  const visibility = optionalInteger(input, 'VisibilityTimeout', 0, 43_200) ?? DEFAULT_VISIBILITY_SECONDS;
  const waitSeconds = optionalInteger(input, 'WaitTimeSeconds', 0, 20) ?? 0;
  const systemNames = [...stringList(input, 'AttributeNames'), ...stringList(input, 'MessageSystemAttributeNames')];
  const attributeNames = stringList(input, 'MessageAttributeNames');
  queueFor(ctx, url);

  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (signal.aborted) return {};
    const received = queueFor(ctx, url)?.receive({ max, visibilityTimeoutMs: visibility * 1000 }) ?? [];
    if (received.length > 0) return { Messages: received.map((m) => wireMessage(m, url, systemNames, attributeNames)) };
    if (Date.now() >= deadline) return {};
    await nextChance(ctx.outboxes, deadline, signal);
  }
}

function wireMessage(message: ReceivedSqsMessage, url: string, systemNames: readonly string[], attributeNames: readonly string[]) {
  const attributes = systemAttributes(message, url, systemNames);
  return {
    MessageId: message.MessageId,
    ReceiptHandle: message.ReceiptHandle,
    MD5OfBody: message.MD5OfBody,
    Body: message.Body,
    ...(attributes ? { Attributes: attributes } : {}),
    ...selectMessageAttributes(message.MessageAttributes, attributeNames),
  };
}

/** Settles when something was sent, after a short interval, at the deadline, or on abort. */
function nextChance(outboxes: Outboxes, deadline: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, Math.min(POLL_INTERVAL_MS, deadline - Date.now())));
    // The record is reported just before the message is appended: look again on the next turn.
    const unsubscribe = outboxes.onRecord((record) => {
      if (record.kind === 'sqs') setImmediate(done);
    });
    signal.addEventListener('abort', done, { once: true });
  });
}
