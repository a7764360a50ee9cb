import { DynamoTableName, type EnvReader } from '../config/env.js';
import { DYNAMODB_ENDPOINT_ENV, TableEnvVars } from './tables.js';

/** A logical table of the saga: `stock`, `orders`, `receipts`, `idempotency`. */
export type TableKey = keyof typeof TableEnvVars;

/** What a Lambda needs to reach its tables. */
export interface DynamoSettings<K extends TableKey> {
  /** Deployed table names (or ARNs), by logical table. */
  readonly tables: { readonly [P in K]: string };
  /** The DynamoDB client's configuration: `{ endpoint }` when `AWS_ENDPOINT_URL_DYNAMODB` is set, else `{}`. */
  readonly clientConfig: { readonly endpoint?: string };
}

/**
 * Reads the names of the given tables from their variables (`STOCK_TABLE`, `ORDERS_TABLE`, ...; each
 * required, a table name or ARN) and the optional `AWS_ENDPOINT_URL_DYNAMODB`.
 *
 * @example const { tables, clientConfig } = readConfig('reserve-stock', process.env, (e) => readDynamoSettings(e, 'stock', 'orders'));
 */
export function readDynamoSettings<K extends TableKey>(env: EnvReader, ...keys: K[]): DynamoSettings<K> {
  const tables = Object.fromEntries(keys.map((key) => [key, env.required(TableEnvVars[key], DynamoTableName)])) as { [P in K]: string };
  const endpoint = env.endpoint(DYNAMODB_ENDPOINT_ENV);
  return { tables, clientConfig: endpoint === undefined ? {} : { endpoint } };
}
