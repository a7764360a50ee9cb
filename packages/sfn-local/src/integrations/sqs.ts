import { Buffer } from 'node:buffer';
import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import {
  asPromise,
  bodyString,
  httpDate,
  invalidParameters,
  isJsonObject,
  newRequestId,
  optionalString,
  paramsObject,
  requiredString,
  sdkHttpMetadata,
  serviceErrorCause,
  type JsonObject,
} from './common.js';
import type { MessageOrigin, Outboxes, SqsMessage } from './outbox.js';
import type { TaskInvocation, TaskResolver } from './types.js';
import { nodeCrypto } from '../node-crypto.js';

export function md5Hex(data: string | Uint8Array): string {
  return nodeCrypto().createHash('md5').update(data).digest('hex');
}

function lengthPrefixed(bytes: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

/**
 * `MD5OfMessageAttributes` as SQS computes it: for each attribute in name order, the
 * length-prefixed name and data type, a transport byte (1 string, 2 binary), and the
 * length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: { [name: string]: JsonValue }): string {
  const parts: Buffer[] = [];
  for (const name of Object.keys(attributes).sort()) {
    const attr = attributes[name] as JsonObject;
    const dataType = String(attr['DataType']);
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(dataType, 'utf8')));
    if (typeof attr['StringValue'] === 'string') {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attr['StringValue'], 'utf8')));
    } else {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(String(attr['BinaryValue']), 'base64')));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

function sqsError(name: string, message: string, errorCode: string, requestId: string): StatesError {
  return new StatesError(name, serviceErrorCause(message, 'AmazonSQS', 400, errorCode, requestId));
}

export function originOf(invocation: TaskInvocation): MessageOrigin {
  return {
    executionArn: invocation.execution.executionArn,
    stateMachineArn: invocation.execution.stateMachineArn,
    stateName: invocation.stateName,
  };
}

function validateAttributes(
  invocation: TaskInvocation,
  value: JsonValue | undefined,
  requestId: string,
): { [name: string]: JsonValue } | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) {
    throw invalidParameters(invocation, "The value for the field 'MessageAttributes' must be an OBJECT");
  }
  for (const [name, attr] of Object.entries(value)) {
    const ok =
      isJsonObject(attr) &&
      typeof attr['DataType'] === 'string' &&
      (typeof attr['StringValue'] === 'string' ? attr['StringValue'] !== '' : typeof attr['BinaryValue'] === 'string');
    if (!ok) {
      throw sqsError(
        'SQS.AmazonSQSException',
        `The message attribute '${name}' must contain non-empty message attribute value and type.`,
        'InvalidParameterValue',
        requestId,
      );
    }
  }
  return value;
}

async function sendMessage(outboxes: Outboxes, invocation: TaskInvocation): Promise<JsonValue> {
  const params = paramsObject(invocation);
  const queueUrl = requiredString(invocation, params, 'QueueUrl');
  if (params['MessageBody'] === undefined || params['MessageBody'] === null) {
    throw invalidParameters(invocation, "The field 'MessageBody' is required but was missing");
  }
  const body = bodyString(params['MessageBody']);
  const groupId = optionalString(invocation, params, 'MessageGroupId');
  const dedupId = optionalString(invocation, params, 'MessageDeduplicationId');
  const delay = params['DelaySeconds'];
  if (delay !== undefined && delay !== null && (typeof delay !== 'number' || !Number.isInteger(delay))) {
    throw invalidParameters(invocation, "The value for the field 'DelaySeconds' must be an INTEGER");
  }
  const requestId = newRequestId();
  const attributes = validateAttributes(invocation, params['MessageAttributes'], requestId);

  if (!outboxes.autoCreate && !outboxes.hasQueue(queueUrl)) {
    throw sqsError(
      'SQS.QueueDoesNotExistException',
      'The specified queue does not exist for this wsdl version.',
      'AWS.SimpleQueueService.NonExistentQueue',
      requestId,
    );
  }
  if (body === '') {
    throw sqsError('SQS.AmazonSQSException', 'The request must contain the parameter MessageBody.', 'MissingParameter', requestId);
  }
  if (queueUrl.endsWith('.fifo') && groupId === undefined) {
    throw sqsError('SQS.AmazonSQSException', 'The request must contain the parameter MessageGroupId.', 'MissingParameter', requestId);
  }

  const messageId = outboxes.newId();
  const md5 = md5Hex(body);
  const message: SqsMessage = { MessageId: messageId, Body: body, MD5OfBody: md5, SentTimestamp: invocation.now() };
  let md5Attributes: string | undefined;
  if (attributes && Object.keys(attributes).length > 0) {
    md5Attributes = md5OfMessageAttributes(attributes);
    message.MessageAttributes = structuredClone(attributes);
    message.MD5OfMessageAttributes = md5Attributes;
  }
  if (groupId !== undefined) message.MessageGroupId = groupId;
  if (dedupId !== undefined) message.MessageDeduplicationId = dedupId;
  if (typeof delay === 'number') message.DelaySeconds = delay;
  message.Origin = originOf(invocation);
  outboxes.deliverSqs(queueUrl, message);

  const result: JsonObject = { MD5OfMessageBody: md5 };
  if (md5Attributes) result['MD5OfMessageAttributes'] = md5Attributes;
  result['MessageId'] = messageId;
  result['SdkHttpMetadata'] = sdkHttpMetadata({
    'Content-Length': '378',
    'Content-Type': 'text/xml',
    Date: httpDate(invocation.now()),
    'x-amzn-RequestId': requestId,
  });
  result['SdkResponseMetadata'] = { RequestId: requestId };
  return result;
}

/**
 * `arn:aws:states:::sqs:sendMessage[.waitForTaskToken]`: delivers to the local queue at
 * `QueueUrl` (object bodies are serialized to JSON) and answers like SQS (`MD5OfMessageBody` is
 * the real MD5 of the body).
 */
export function createSqsResolver(outboxes: Outboxes): TaskResolver {
  return (invocation) => {
    const p = invocation.parsed;
    if (
      p.kind === 'integration' &&
      p.service === 'sqs' &&
      p.action === 'sendMessage' &&
      (p.pattern === 'requestResponse' || p.pattern === 'waitForTaskToken')
    ) {
      return asPromise(() => sendMessage(outboxes, invocation));
    }
    return undefined;
  };
}
