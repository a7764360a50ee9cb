import type { PayloadValue } from '../../definition/states.js';
import type { Field, JsonPathInvocation, OptionalField } from './invocation.js';
import { jsonPathInvocation } from './invocation.js';

/**
 * Parameters of `arn:aws:states:::bedrock:invokeModel`: `Body` (at most 256 KiB) or
 * `Input.S3Uri`. The model id may be a foundation model ARN or an inference profile.
 */
export type BedrockInvokeModelParameters = Field<'ModelId', string> &
  OptionalField<'Body', PayloadValue> & {
    Input?: { S3Uri: string };
    Output?: { S3Uri: string };
    ContentType?: string;
    Accept?: string;
  };

export interface BedrockInvokeModelResult<B = unknown> {
  Body: B;
  ContentType?: string;
}

export function bedrockInvokeModel(parameters: BedrockInvokeModelParameters): JsonPathInvocation {
  return jsonPathInvocation('bedrock', 'invokeModel', parameters);
}
