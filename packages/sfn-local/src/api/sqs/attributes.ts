import type { JsonValue } from '@saga/asl';
import type { ReceivedSqsMessage } from '../../integrations/outbox.js';
import { md5OfMessageAttributes } from '../../integrations/sqs.js';
import { queuePath } from './queues.js';

/** The message system attributes ReceiveMessage can return (`All` asks for every one). */
export const MESSAGE_SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'MessageGroupId',
  'MessageDeduplicationId',
] as const;

/** The `Attributes` of a received message: those asked for that the message has. */
export function systemAttributes(message: ReceivedSqsMessage, queueUrl: string, names: readonly string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const values: Record<string, string | undefined> = {
    SenderId: queuePath(queueUrl)?.account,
    SentTimestamp: String(message.SentTimestamp),
    ApproximateReceiveCount: String(message.ApproximateReceiveCount),
    ApproximateFirstReceiveTimestamp: String(message.ApproximateFirstReceiveTimestamp),
    MessageGroupId: message.MessageGroupId,
    MessageDeduplicationId: message.MessageDeduplicationId,
  };
  const out: Record<string, string> = {};
  for (const name of MESSAGE_SYSTEM_ATTRIBUTES) {
    const value = values[name];
    if ((all || names.includes(name)) && value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The message attributes asked for (`All`, `.*`, `prefix.*` or exact names) and the MD5 of
 * exactly those, as SQS computes it over what it returns.
 */
export function selectMessageAttributes(
  attributes: { [name: string]: JsonValue } | undefined,
  names: readonly string[],
): { MessageAttributes: { [name: string]: JsonValue }; MD5OfMessageAttributes: string } | undefined {
  if (!attributes || names.length === 0) return undefined;
  const wanted = (name: string) =>
    names.some((n) => n === 'All' || n === '.*' || n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))));
  const selected = Object.fromEntries(Object.entries(attributes).filter(([name]) => wanted(name)));
  if (Object.keys(selected).length === 0) return undefined;
  return { MessageAttributes: selected, MD5OfMessageAttributes: md5OfMessageAttributes(selected) };
}
