import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import {
  asPromise,
  invalidParameters,
  isJsonObject,
  mapServiceError,
  optionalString,
  paramsObject,
  requiredString,
  toJson,
  underSignal,
  type JsonObject,
} from './common.js';
import type { TaskInvocation, TaskResolver } from './types.js';

/** The Parameters of `bedrock:invokeModel` (InvokeModel's fields, PascalCase). */
export interface BedrockInvokeModelParams {
  ModelId: string;
  /** The model-specific request body (Step Functions does not validate it). */
  Body?: JsonValue;
  /** Instead of Body: the request body in S3. */
  Input?: { S3Uri: string };
  Output?: { S3Uri: string };
  ContentType?: string;
  Accept?: string;
  [field: string]: JsonValue | undefined;
}

/**
 * Answers an InvokeModel call with the model's response body (parsed JSON). Throw an Error
 * named like Bedrock's exceptions (`ThrottlingException`, `ModelTimeoutException`, ...) to fail
 * the task with `Bedrock.<Name>`, or a StatesError for full control.
 */
export type BedrockInvokeModel = (
  params: BedrockInvokeModelParams,
  invocation: TaskInvocation,
) => Promise<JsonValue> | JsonValue;

async function invoke(invokeModel: BedrockInvokeModel, invocation: TaskInvocation): Promise<JsonValue> {
  const params = paramsObject(invocation);
  requiredString(invocation, params, 'ModelId');
  optionalString(invocation, params, 'ContentType');
  optionalString(invocation, params, 'Accept');
  const hasBody = params['Body'] !== undefined;
  const hasInput = params['Input'] !== undefined;
  if (hasBody && hasInput) throw invalidParameters(invocation, "Only one of the fields 'Body' and 'Input' may be given");
  if (!hasBody && !hasInput) throw invalidParameters(invocation, "One of the fields 'Body' or 'Input' is required");
  for (const field of ['Input', 'Output']) {
    const value = params[field];
    if (value !== undefined && !(isJsonObject(value) && typeof value['S3Uri'] === 'string')) {
      throw invalidParameters(invocation, `The value for the field '${field}' must be an object with a STRING 'S3Uri'`);
    }
  }
  let body: JsonValue;
  try {
    const raw = await underSignal(invocation.signal, () =>
      invokeModel(structuredClone(params) as BedrockInvokeModelParams, invocation),
    );
    body = toJson(raw);
  } catch (e) {
    if (invocation.signal.aborted) throw invocation.signal.reason;
    if (e instanceof StatesError) throw e;
    throw mapServiceError(e, 'Bedrock', 'AmazonBedrockRuntimeException');
  }
  const result: JsonObject = { Body: body, ContentType: 'application/json' };
  return result;
}

/**
 * `arn:aws:states:::bedrock:invokeModel`: the result is `{Body: <model response>, ContentType}`
 * as the optimized integration returns it. (`Output.S3Uri` is passed to the callback but the
 * body is not written to S3.)
 */
export function createBedrockResolver(invokeModel: BedrockInvokeModel): TaskResolver {
  return (invocation) => {
    const p = invocation.parsed;
    if (p.kind === 'integration' && p.service === 'bedrock' && p.action === 'invokeModel' && p.pattern === 'requestResponse') {
      return asPromise(() => invoke(invokeModel, invocation));
    }
    return undefined;
  };
}
