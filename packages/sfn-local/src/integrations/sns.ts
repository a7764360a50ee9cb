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
  sdkHttpMetadata,
  serviceErrorCause,
} from './common.js';
import type { Outboxes, SnsMessage } from './outbox.js';
import { originOf } from './sqs.js';
import type { TaskInvocation, TaskResolver } from './types.js';

function snsError(name: string, message: string, status: number, errorCode: string, requestId: string): StatesError {
  return new StatesError(name, serviceErrorCause(message, 'AmazonSNS', status, errorCode, requestId));
}

function invalid(message: string, requestId: string): StatesError {
  return snsError('SNS.InvalidParameterException', `Invalid parameter: ${message}`, 400, 'InvalidParameter', requestId);
}

async function publish(outboxes: Outboxes, invocation: TaskInvocation): Promise<JsonValue> {
  const params = paramsObject(invocation);
  const topicArn = optionalString(invocation, params, 'TopicArn');
  const targetArn = optionalString(invocation, params, 'TargetArn');
  const phoneNumber = optionalString(invocation, params, 'PhoneNumber');
  if (params['Message'] === undefined || params['Message'] === null) {
    throw invalidParameters(invocation, "The field 'Message' is required but was missing");
  }
  const message = bodyString(params['Message']);
  const subject = optionalString(invocation, params, 'Subject');
  const structure = optionalString(invocation, params, 'MessageStructure');
  const groupId = optionalString(invocation, params, 'MessageGroupId');
  const dedupId = optionalString(invocation, params, 'MessageDeduplicationId');
  const attributes = params['MessageAttributes'];
  if (attributes !== undefined && attributes !== null && !isJsonObject(attributes)) {
    throw invalidParameters(invocation, "The value for the field 'MessageAttributes' must be an OBJECT");
  }
  const requestId = newRequestId();

  const target = topicArn ?? targetArn ?? phoneNumber;
  if (target === undefined) throw invalid('TopicArn or TargetArn Reason: no value for required parameter', requestId);
  if ([topicArn, targetArn, phoneNumber].filter((t) => t !== undefined).length > 1) {
    throw invalid('Only one of TopicArn, TargetArn or PhoneNumber may be given', requestId);
  }
  if (structure !== undefined) {
    if (structure !== 'json') throw invalid("MessageStructure Reason: the only supported value is 'json'", requestId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalid('Message Structure - JSON message body failed to parse', requestId);
    }
    if (!isJsonObject(parsed) || typeof parsed['default'] !== 'string') {
      throw invalid('Message Structure - No default entry in JSON message body', requestId);
    }
  }
  if (message === '') throw invalid('Empty message', requestId);
  if (target.endsWith('.fifo') && groupId === undefined) {
    throw invalid('The MessageGroupId parameter is required for FIFO topics', requestId);
  }
  if (!outboxes.autoCreate && !outboxes.hasTopic(target)) {
    throw snsError('SNS.NotFoundException', 'Topic does not exist', 404, 'NotFound', requestId);
  }

  const messageId = outboxes.newId();
  const record: SnsMessage = { MessageId: messageId, Target: target, Message: message, Timestamp: invocation.now() };
  if (topicArn !== undefined) record.TopicArn = topicArn;
  if (targetArn !== undefined) record.TargetArn = targetArn;
  if (phoneNumber !== undefined) record.PhoneNumber = phoneNumber;
  if (subject !== undefined) record.Subject = subject;
  if (structure !== undefined) record.MessageStructure = structure;
  if (isJsonObject(attributes) && Object.keys(attributes).length > 0) record.MessageAttributes = structuredClone(attributes);
  if (groupId !== undefined) record.MessageGroupId = groupId;
  if (dedupId !== undefined) record.MessageDeduplicationId = dedupId;
  record.Origin = originOf(invocation);
  outboxes.deliverSns(target, record);

  return {
    MessageId: messageId,
    SdkHttpMetadata: sdkHttpMetadata({
      'Content-Length': '294',
      'Content-Type': 'text/xml',
      Date: httpDate(invocation.now()),
      'x-amzn-RequestId': requestId,
    }),
    SdkResponseMetadata: { RequestId: requestId },
  };
}

/**
 * `arn:aws:states:::sns:publish[.waitForTaskToken]`: records the message on the local topic
 * (keyed by `TopicArn`, `TargetArn` or `PhoneNumber`); object messages are serialized to JSON.
 */
export function createSnsResolver(outboxes: Outboxes): TaskResolver {
  return (invocation) => {
    const p = invocation.parsed;
    if (
      p.kind === 'integration' &&
      p.service === 'sns' &&
      p.action === 'publish' &&
      (p.pattern === 'requestResponse' || p.pattern === 'waitForTaskToken')
    ) {
      return asPromise(() => publish(outboxes, invocation));
    }
    return undefined;
  };
}
