import type { JsonValue } from '@saga/asl';
import type { SqsMessage } from '../../integrations/outbox.js';
import { md5Hex, md5OfMessageAttributes } from '../../integrations/sqs.js';
import { sqsErrors } from './errors.js';
import { optionalInteger, optionalString, requiredInteger, requiredString, type SqsInput } from './input.js';
import { queueFor, type SqsContext } from './queues.js';

/** `SendMessage`: appends to the local queue (created on first send unless the outboxes say otherwise). */
export function sendMessage(ctx: SqsContext, input: SqsInput): unknown {
  const url = requiredString(input, 'QueueUrl');
  const body = requiredString(input, 'MessageBody');
  const delay = optionalInteger(input, 'DelaySeconds', 0, 900);
  const groupId = optionalString(input, 'MessageGroupId');
  const dedupId = optionalString(input, 'MessageDeduplicationId');
  const attributes = messageAttributes(input['MessageAttributes']);
  const target = queueFor(ctx, url)?.url ?? url;
  if (target.endsWith('.fifo') && groupId === undefined) throw sqsErrors.missingParameter('MessageGroupId');

  const messageId = ctx.outboxes.newId();
  const message: SqsMessage = { MessageId: messageId, Body: body, MD5OfBody: md5Hex(body), SentTimestamp: Date.now() };
  if (attributes) {
    message.MessageAttributes = attributes;
    message.MD5OfMessageAttributes = md5OfMessageAttributes(attributes);
  }
  if (groupId !== undefined) message.MessageGroupId = groupId;
  if (dedupId !== undefined) message.MessageDeduplicationId = dedupId;
  if (delay !== undefined) message.DelaySeconds = delay;
  ctx.outboxes.deliverSqs(target, message);
  return {
    MD5OfMessageBody: message.MD5OfBody,
    ...(message.MD5OfMessageAttributes ? { MD5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    MessageId: messageId,
  };
}

/** `DeleteMessage`: ReceiptHandleIsInvalid for an unknown or stale receipt handle. */
export function deleteMessage(ctx: SqsContext, input: SqsInput): unknown {
  const url = requiredString(input, 'QueueUrl');
  const handle = requiredString(input, 'ReceiptHandle');
  const queue = queueFor(ctx, url);
  if (!queue?.delete(handle)) throw sqsErrors.receiptHandleIsInvalid(handle);
  return {};
}

/** `ChangeMessageVisibility`: a message in flight becomes visible VisibilityTimeout seconds from now. */
export function changeMessageVisibility(ctx: SqsContext, input: SqsInput): unknown {
  const url = requiredString(input, 'QueueUrl');
  const handle = requiredString(input, 'ReceiptHandle');
  const timeout = requiredInteger(input, 'VisibilityTimeout', 0, 43_200);
  const result = queueFor(ctx, url)?.changeVisibility(handle, timeout * 1000) ?? 'invalid-handle';
  if (result === 'invalid-handle') throw sqsErrors.receiptHandleIsInvalid(handle);
  if (result === 'not-in-flight') throw sqsErrors.messageNotInflight();
  return {};
}

function messageAttributes(value: unknown): { [name: string]: JsonValue } | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw sqsErrors.invalidParameterValue('MessageAttributes', JSON.stringify(value), 'Must be a map.');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [name, attr] of entries) {
    const a = attr as Record<string, unknown> | null;
    const ok =
      a !== null &&
      typeof a === 'object' &&
      typeof a['DataType'] === 'string' &&
      (typeof a['StringValue'] === 'string' ? a['StringValue'] !== '' : typeof a['BinaryValue'] === 'string');
    if (!ok) {
      throw sqsErrors.invalidParameterValue(
        `MessageAttributes.${name}`,
        JSON.stringify(attr),
        `The message attribute '${name}' must contain non-empty message attribute value and type.`,
      );
    }
  }
  return entries.length > 0 ? (structuredClone(value) as { [name: string]: JsonValue }) : undefined;
}
