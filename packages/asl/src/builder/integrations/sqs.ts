import type { JsonValue } from '../../definition/json.js';
import type { PayloadTemplate, PayloadValue } from '../../definition/states.js';
import type { Field, JsonataInvocation, JsonPathInvocation } from './invocation.js';
import { jsonataInvocation, jsonPathInvocation } from './invocation.js';

export type SqsMessageAttributes = Record<string, { DataType: 'String' | 'Number' | 'Binary'; StringValue?: string }>;

/** Parameters of `arn:aws:states:::sqs:sendMessage`. An object `MessageBody` is sent as JSON. */
export type SqsSendMessageParameters = Field<'QueueUrl', string> &
  Field<'MessageBody', PayloadValue> & {
    DelaySeconds?: number;
    MessageAttributes?: SqsMessageAttributes | PayloadTemplate;
    MessageGroupId?: string;
    MessageDeduplicationId?: string;
    'MessageGroupId.$'?: string;
    'MessageDeduplicationId.$'?: string;
  };

export interface SqsSendMessageResult {
  MessageId: string;
  MD5OfMessageBody: string;
}

/**
 * Sends a message to an SQS queue. With `waitForTaskToken` the execution pauses until someone
 * calls SendTaskSuccess/SendTaskFailure with the token the message carries (`$$.Task.Token`).
 */
export function sqsSendMessage(
  parameters: SqsSendMessageParameters,
  options: { waitForTaskToken?: boolean } = {},
): JsonPathInvocation {
  return jsonPathInvocation('sqs', 'sendMessage', parameters, options.waitForTaskToken ? 'waitForTaskToken' : 'requestResponse');
}

sqsSendMessage.jsonata = (
  args: { QueueUrl: string; MessageBody: JsonValue; DelaySeconds?: number; MessageGroupId?: string },
  options: { waitForTaskToken?: boolean } = {},
): JsonataInvocation =>
  jsonataInvocation('sqs', 'sendMessage', { ...args }, options.waitForTaskToken ? 'waitForTaskToken' : 'requestResponse');
