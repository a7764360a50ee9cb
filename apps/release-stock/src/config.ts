/** What ReleaseStock reads from its environment. */
export interface ReleaseStockConfig {
  /** `STOCK_TABLE`: the stock table (pk `sku`). */
  readonly stockTable: string;
  /** `ORDERS_TABLE`: the orders table (pk `pk`, sk `sk`), holding the reservation records. */
  readonly ordersTable: string;
  /** `AWS_ENDPOINT_URL_DYNAMODB`: a local DynamoDB (dynalite, DynamoDB Local). AWS when absent. */
  readonly dynamodbEndpoint?: string;
}

/** Thrown at cold start when the environment is incomplete or malformed; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A DynamoDB table name (3–255 of `a-zA-Z0-9_.-`) or a table ARN. */
const TABLE_NAME = /^(?:[A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/;

/** Parses the configuration once; throws a {@link ConfigError} naming each missing or invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): ReleaseStockConfig {
  const problems: string[] = [];
  const table = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set`);
    else if (!TABLE_NAME.test(value)) problems.push(`${name} is not a DynamoDB table name or ARN`);
    return value ?? '';
  };
  const stockTable = table('STOCK_TABLE');
  const ordersTable = table('ORDERS_TABLE');
  const dynamodbEndpoint = optionalUrl(env, 'AWS_ENDPOINT_URL_DYNAMODB', problems);
  if (problems.length > 0) throw new ConfigError(`release-stock configuration: ${problems.join('; ')}`);
  return { stockTable, ordersTable, ...(dynamodbEndpoint !== undefined ? { dynamodbEndpoint } : {}) };
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
