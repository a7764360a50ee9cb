import { Buffer } from 'node:buffer';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import {
  asPromise,
  invalidParameters,
  isJsonObject,
  paramsObject,
  requiredString,
  serviceErrorCause,
  serviceErrorName,
  toJson,
} from './common.js';
import type { TaskInvocation, TaskResolver } from './types.js';

export type DynamoDbResolverOptions =
  | { client: DynamoDBClient }
  | {
      endpoint: string;
      region?: string;
      /** Default: dummy credentials (`local`/`local`), which DynamoDB Local and dynalite accept. */
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
      /** SDK attempts per call (default 1: the state machine's Retry decides about retrying). */
      maxAttempts?: number;
    };

/** The resolver, plus access to its client (created lazily when built from an endpoint). */
export type DynamoDbResolver = TaskResolver & {
  client(): Promise<DynamoDBClient>;
  /** Destroys a client this resolver created (a client passed in is left to its owner). */
  destroy(): void;
};

const ACTIONS = ['getItem', 'putItem', 'updateItem', 'deleteItem'] as const;
type Action = (typeof ACTIONS)[number];

type Sdk = typeof import('@aws-sdk/client-dynamodb');
let sdkPromise: Promise<Sdk> | undefined;
/** The SDK is loaded on first use, so that importing the engine does not pay for it. */
function loadSdk(): Promise<Sdk> {
  sdkPromise ??= import('@aws-sdk/client-dynamodb');
  return sdkPromise;
}

type Invalid = (detail: string) => StatesError;

/** AttributeValue JSON (B/BS base64 strings) -> the SDK's shape (Uint8Array). */
function toSdkValue(av: JsonValue, field: string, invalid: Invalid): unknown {
  if (!isJsonObject(av)) throw invalid(`The value for the field '${field}' must be an AttributeValue object`);
  const out: Record<string, unknown> = {};
  for (const [type, value] of Object.entries(av)) {
    switch (type) {
      case 'B':
        if (typeof value !== 'string') throw invalid(`The value for the field 'B' must be a base64 STRING`);
        out[type] = Buffer.from(value, 'base64');
        break;
      case 'BS':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
          throw invalid(`The value for the field 'BS' must be an ARRAY of base64 STRINGs`);
        }
        out[type] = (value as string[]).map((v) => Buffer.from(v, 'base64'));
        break;
      case 'N':
      case 'S':
        if (typeof value !== 'string') throw invalid(`The value for the field '${type}' must be a STRING`);
        out[type] = value;
        break;
      case 'NS':
      case 'SS':
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
          throw invalid(`The value for the field '${type}' must be an ARRAY of STRINGs`);
        }
        out[type] = value;
        break;
      case 'L':
        if (!Array.isArray(value)) throw invalid(`The value for the field 'L' must be an ARRAY`);
        out[type] = value.map((v) => toSdkValue(v, 'L', invalid));
        break;
      case 'M':
        out[type] = toSdkMap(value, 'M', invalid);
        break;
      default:
        out[type] = value;
    }
  }
  return out;
}

function toSdkMap(map: JsonValue, field: string, invalid: Invalid): Record<string, unknown> {
  if (!isJsonObject(map)) throw invalid(`The value for the field '${field}' must be an OBJECT`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = toSdkValue(v, k, invalid);
  return out;
}

/** The SDK's AttributeValues -> JSON (binary as base64). */
function fromSdkValue(av: unknown): unknown {
  if (typeof av !== 'object' || av === null) return av;
  const out: Record<string, unknown> = {};
  for (const [type, value] of Object.entries(av as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (type === 'B') out[type] = Buffer.from(value as Uint8Array).toString('base64');
    else if (type === 'BS') out[type] = (value as Uint8Array[]).map((b) => Buffer.from(b).toString('base64'));
    else if (type === 'L') out[type] = (value as unknown[]).map(fromSdkValue);
    else if (type === 'M') out[type] = fromSdkMap(value);
    else out[type] = value;
  }
  return out;
}

function fromSdkMap(map: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map as Record<string, unknown>)) out[k] = fromSdkValue(v);
  return out;
}

function toSdkRequest(invocation: TaskInvocation, action: Action): Record<string, unknown> {
  const params = paramsObject(invocation);
  const invalid: Invalid = (detail) => invalidParameters(invocation, detail);
  requiredString(invocation, params, 'TableName');
  const mustHave = action === 'putItem' ? 'Item' : 'Key';
  if (params[mustHave] === undefined || params[mustHave] === null) {
    throw invalid(`The field '${mustHave}' is required but was missing`);
  }
  const request: Record<string, unknown> = { ...params };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey']) {
    if (params[field] !== undefined) request[field] = toSdkMap(params[field], field, invalid);
  }
  // Legacy conditional parameters also carry AttributeValues.
  for (const field of ['Expected', 'AttributeUpdates']) {
    const legacy = params[field];
    if (legacy === undefined) continue;
    if (!isJsonObject(legacy)) throw invalid(`The value for the field '${field}' must be an OBJECT`);
    const converted: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(legacy)) {
      if (!isJsonObject(spec)) throw invalid(`The value for the field '${name}' must be an OBJECT`);
      const c: Record<string, unknown> = { ...spec };
      if (spec['Value'] !== undefined) c['Value'] = toSdkValue(spec['Value'], 'Value', invalid);
      if (Array.isArray(spec['AttributeValueList'])) {
        c['AttributeValueList'] = spec['AttributeValueList'].map((v) => toSdkValue(v, 'AttributeValueList', invalid));
      }
      converted[name] = c;
    }
    request[field] = converted;
  }
  return request;
}

function fromSdkResponse(response: Record<string, unknown>): JsonValue {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(response)) {
    if (k === '$metadata' || v === undefined) continue;
    if (k === 'Item' || k === 'Attributes') out[k] = fromSdkMap(v);
    else if (k === 'ItemCollectionMetrics' && isJsonObject(v as JsonValue)) {
      const metrics = { ...(v as Record<string, unknown>) };
      if (metrics['ItemCollectionKey']) metrics['ItemCollectionKey'] = fromSdkMap(metrics['ItemCollectionKey']);
      out[k] = metrics;
    } else out[k] = v;
  }
  return toJson(out);
}

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * An SDK error as the optimized DynamoDB integration names it: `DynamoDB.<ErrorName>` (with the
 * `Exception` suffix AWS's names carry; the SDK's generic service exception becomes
 * `DynamoDB.AmazonDynamoDBException`), Cause = the message in AWS's service-error form. Errors
 * with no HTTP response (connection refused, ...) become `DynamoDB.SdkClientException`.
 */
export function mapDynamoDbError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  const err = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as SdkError;
  const message = err.message ?? String(thrown);
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined) {
    return new StatesError('DynamoDB.SdkClientException', `Unable to execute HTTP request: ${message}`);
  }
  const code = err.name && err.name !== 'DynamoDBServiceException' && err.name !== 'Error' ? err.name : 'AmazonDynamoDBException';
  return new StatesError(
    serviceErrorName('DynamoDB', code),
    serviceErrorCause(message, 'AmazonDynamoDBv2', status, code, err.$metadata?.requestId ?? ''),
  );
}

/**
 * `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem` against a real DynamoDB
 * endpoint (DynamoDB Local, dynalite, AWS). Parameters and results are the DynamoDB API's, with
 * AttributeValue JSON (binary as base64); the result is the API response without `$metadata`.
 */
export function createDynamoDbResolver(options: DynamoDbResolverOptions): DynamoDbResolver {
  let clientPromise: Promise<DynamoDBClient> | undefined;
  let owned: DynamoDBClient | undefined;
  let destroyed = false;
  const getClient = (): Promise<DynamoDBClient> => {
    if ('client' in options) return Promise.resolve(options.client);
    clientPromise ??= loadSdk().then((sdk) => {
      owned = new sdk.DynamoDBClient({
        endpoint: options.endpoint,
        region: options.region ?? 'us-east-1',
        credentials: options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: options.maxAttempts ?? 1,
      });
      if (destroyed) owned.destroy();
      return owned;
    });
    return clientPromise;
  };

  const run = async (invocation: TaskInvocation, action: Action): Promise<JsonValue> => {
    const request = toSdkRequest(invocation, action);
    const [sdk, client] = await Promise.all([loadSdk(), getClient()]);
    const signal = invocation.signal;
    if (signal.aborted) throw signal.reason;
    const command =
      action === 'getItem'
        ? new sdk.GetItemCommand(request as never)
        : action === 'putItem'
          ? new sdk.PutItemCommand(request as never)
          : action === 'updateItem'
            ? new sdk.UpdateItemCommand(request as never)
            : new sdk.DeleteItemCommand(request as never);
    let response: Record<string, unknown>;
    try {
      response = (await client.send(command as never, { abortSignal: signal })) as unknown as Record<string, unknown>;
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      throw mapDynamoDbError(e);
    }
    return fromSdkResponse(response);
  };

  const resolver: TaskResolver = (invocation) => {
    const p = invocation.parsed;
    if (p.kind !== 'integration' || p.service !== 'dynamodb' || p.pattern !== 'requestResponse') return undefined;
    if (!(ACTIONS as readonly string[]).includes(p.action)) return undefined;
    return asPromise(() => run(invocation, p.action as Action));
  };
  return Object.assign(resolver, {
    client: getClient,
    destroy: () => {
      destroyed = true;
      owned?.destroy();
    },
  });
}

