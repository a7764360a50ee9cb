/** What EmitReceipt reads from its environment. */
export interface EmitReceiptConfig {
  /** `RECEIPTS_TABLE`: the receipts table (pk `orderId`). */
  readonly receiptsTable: string;
  /** `EVENT_BUS_NAME`: the EventBridge bus (name or ARN) that gets `OrderFulfilled`. */
  readonly eventBusName: string;
  /** `AWS_ENDPOINT_URL_DYNAMODB`: a local DynamoDB (dynalite, DynamoDB Local). AWS when absent. */
  readonly dynamodbEndpoint?: string;
  /** `AWS_ENDPOINT_URL_EVENTBRIDGE`: a local EventBridge stand-in. AWS when absent. */
  readonly eventBridgeEndpoint?: string;
}

/** Thrown at cold start when the environment is incomplete or malformed; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A DynamoDB table name (3–255 of `a-zA-Z0-9_.-`) or a table ARN. */
const TABLE_NAME = /^(?:[A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;
/** An event bus name (1–256 of `A-Za-z0-9._-/`) or an event bus ARN. */
const EVENT_BUS = /^(?:[A-Za-z0-9._\-/]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256})$/;

/** Parses the configuration once; throws a {@link ConfigError} naming each missing or invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): EmitReceiptConfig {
  const problems: string[] = [];
  const required = (name: string, pattern: RegExp, what: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set`);
    else if (!pattern.test(value)) problems.push(`${name} is not ${what}`);
    return value ?? '';
  };
  const receiptsTable = required('RECEIPTS_TABLE', TABLE_NAME, 'a DynamoDB table name or ARN');
  const eventBusName = required('EVENT_BUS_NAME', EVENT_BUS, 'an event bus name or ARN');
  const dynamodbEndpoint = optionalUrl(env, 'AWS_ENDPOINT_URL_DYNAMODB', problems);
  const eventBridgeEndpoint = optionalUrl(env, 'AWS_ENDPOINT_URL_EVENTBRIDGE', problems);
  if (problems.length > 0) throw new ConfigError(`emit-receipt configuration: ${problems.join('; ')}`);
  return {
    receiptsTable,
    eventBusName,
    ...(dynamodbEndpoint !== undefined ? { dynamodbEndpoint } : {}),
    ...(eventBridgeEndpoint !== undefined ? { eventBridgeEndpoint } : {}),
  };
}

function optionalUrl(env: Readonly<Record<string, string | undefined>>, name: string, problems: string[]): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return value;
  } catch {
    problems.push(`${name} is not an http(s) URL`);
    return undefined;
  }
}
