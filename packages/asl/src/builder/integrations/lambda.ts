import type { JsonValue } from '../../definition/json.js';
import type { PayloadValue } from '../../definition/states.js';
import type { Field, JsonataInvocation, JsonPathInvocation, OptionalField } from './invocation.js';
import { jsonataInvocation, jsonPathInvocation } from './invocation.js';

/** Parameters of `arn:aws:states:::lambda:invoke` (Lambda's Invoke API, PascalCase). */
export type LambdaInvokeParameters = Field<'FunctionName', string> &
  OptionalField<'Payload', PayloadValue> & {
    Qualifier?: string;
    InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
    ClientContext?: string;
    LogType?: 'None' | 'Tail';
  };

export interface LambdaInvokeArguments {
  FunctionName: string;
  Payload?: JsonValue;
  Qualifier?: string;
  InvocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  ClientContext?: string;
  LogType?: 'None' | 'Tail';
}

/** The task result of `lambda:invoke`: the function's output is under `Payload`. */
export interface LambdaInvokeResult<P = JsonValue> {
  Payload: P;
  StatusCode: number;
  ExecutedVersion?: string;
  SdkHttpMetadata?: { HttpStatusCode: number; HttpHeaders?: Record<string, string> };
  SdkResponseMetadata?: { RequestId: string };
}

/**
 * Invokes a Lambda function and waits for its result (`{Payload, StatusCode, ...}`). A thrown
 * error's name becomes the state's `Error`. `waitForTaskToken` resumes on SendTaskSuccess instead.
 */
export function lambdaInvoke(
  parameters: LambdaInvokeParameters,
  options: { waitForTaskToken?: boolean } = {},
): JsonPathInvocation {
  return jsonPathInvocation('lambda', 'invoke', parameters, options.waitForTaskToken ? 'waitForTaskToken' : 'requestResponse');
}

/** `lambda:invoke` for JSONata states (`Arguments`). */
lambdaInvoke.jsonata = (args: LambdaInvokeArguments, options: { waitForTaskToken?: boolean } = {}): JsonataInvocation =>
  jsonataInvocation('lambda', 'invoke', { ...args }, options.waitForTaskToken ? 'waitForTaskToken' : 'requestResponse');

/**
 * ResultSelector that keeps only the function's output from a `lambda:invoke` result, dropping
 * the HTTP metadata that otherwise counts against the 256 KiB payload quota.
 */
export const LAMBDA_PAYLOAD_ONLY = { 'Payload.$': '$.Payload' } as const;
