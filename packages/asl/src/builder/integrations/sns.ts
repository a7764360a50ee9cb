import type { JsonValue } from '../../definition/json.js';
import type { PayloadTemplate, PayloadValue } from '../../definition/states.js';
import type { Field, JsonataInvocation, JsonPathInvocation } from './invocation.js';
import { jsonataInvocation, jsonPathInvocation } from './invocation.js';

/** Parameters of `arn:aws:states:::sns:publish`. */
export type SnsPublishParameters = Field<'TopicArn', string> &
  Field<'Message', PayloadValue> & {
    Subject?: string;
    'Subject.$'?: string;
    MessageAttributes?: PayloadTemplate;
    MessageGroupId?: string;
  };

export interface SnsPublishResult {
  MessageId: string;
}

/** Publishes a notification to an SNS topic. */
export function snsPublish(parameters: SnsPublishParameters): JsonPathInvocation {
  return jsonPathInvocation('sns', 'publish', parameters);
}

snsPublish.jsonata = (args: { TopicArn: string; Message: JsonValue; Subject?: string }): JsonataInvocation =>
  jsonataInvocation('sns', 'publish', { ...args });
