import { changeMessageVisibility, deleteMessage, sendMessage } from './messages.js';
import { sqsErrors } from './errors.js';
import type { SqsInput } from './input.js';
import { getQueueAttributes, getQueueUrl, listQueues } from './queue-operations.js';
import type { SqsContext } from './queues.js';
import { receiveMessage } from './receive.js';

/**
 * The SQS API over the engine's local queues, as @aws-sdk/client-sqs speaks it: AWS JSON 1.0,
 * `POST /` with `X-Amz-Target: AmazonSQS.<Operation>` (and `x-amzn-query-mode: true`), the
 * QueueUrl in the body. Enough for a consumer: receive (long polling), delete, change
 * visibility, send, find and count queues.
 */

export const SQS_TARGET_PREFIX = 'AmazonSQS.';

type SqsOperation = (ctx: SqsContext, input: SqsInput, signal: AbortSignal) => unknown;

/** Every operation served, by the name in `X-Amz-Target: AmazonSQS.<name>`. */
export const sqsRoutes: Readonly<Record<string, SqsOperation>> = {
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  ChangeMessageVisibility: changeMessageVisibility,
  SendMessage: sendMessage,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  GetQueueAttributes: getQueueAttributes,
};

export function isSqsTarget(target: string | undefined): boolean {
  return target?.startsWith(SQS_TARGET_PREFIX) ?? false;
}

/** Runs the operation a request names; errors are {@link SqsApiError}s. */
export async function dispatchSqs(ctx: SqsContext, target: string | undefined, body: Buffer, signal: AbortSignal): Promise<unknown> {
  const name = target?.slice(SQS_TARGET_PREFIX.length) ?? '';
  const op = Object.hasOwn(sqsRoutes, name) ? sqsRoutes[name] : undefined;
  if (!op) throw sqsErrors.unsupportedOperation(name);
  return await op(ctx, parseBody(body), signal);
}

function parseBody(body: Buffer): SqsInput {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw sqsErrors.serialization(`Invalid JSON in request body: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw sqsErrors.serialization('The request body must be a JSON object');
  }
  return parsed as SqsInput;
}
