/**
 * The saga's DynamoDB tables as data. Attribute names and the environment variables the Lambdas
 * read the table names from are the ones `packages/testkit/src/dynamo-tables.ts` creates locally
 * (restated here: the stack must not load the AWS SDK that module imports).
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

export interface TableSpec {
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Epoch-seconds attribute DynamoDB TTL expires items by. */
  readonly ttlAttribute?: string;
  /** The environment variable holding the deployed table name. */
  readonly envVar: string;
}

export const TABLES = {
  stock: {
    description: 'Available units per SKU; ReserveStock decrements, ReleaseStock gives back.',
    partitionKey: { name: 'sku', type: 'S' },
    envVar: 'STOCK_TABLE',
  },
  orders: {
    description: 'Per-order records: the order (sk ORDER) and its stock reservation (sk RESERVATION).',
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    envVar: 'ORDERS_TABLE',
  },
  receipts: {
    description: 'One receipt row per fulfilled order, with the EventBridge id of its OrderFulfilled event.',
    partitionKey: { name: 'orderId', type: 'S' },
    envVar: 'RECEIPTS_TABLE',
  },
  idempotency: {
    description: 'Powertools idempotency records (short-term duplicate suppression).',
    partitionKey: { name: 'id', type: 'S' },
    ttlAttribute: 'expiration',
    envVar: 'IDEMPOTENCY_TABLE',
  },
} as const satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof TABLES;
export const TABLE_KEYS = Object.keys(TABLES) as TableKey[];
