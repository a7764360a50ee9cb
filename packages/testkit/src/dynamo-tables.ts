import {
  type AttributeDefinition,
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  type KeySchemaElement,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  ORDERS_PK,
  ORDERS_SK,
  RECEIPTS_KEY,
  type ReservationRecord,
  reservationItem,
  reservationKey,
  STOCK_AVAILABLE,
  STOCK_KEY,
  TableEnvVars,
} from '@saga/lambda-kit/dynamo';

// The saga's DynamoDB schema as data: the tests, the local run and (later) the Terraform stack create
// the same tables from these definitions. The key layout, the table variables and the record layouts
// are `@saga/lambda-kit/dynamo`'s, which the Lambdas write with; they are re-exported here.
export {
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  ORDER_PK_PREFIX,
  ORDERS_PK,
  ORDERS_SK,
  type OrderRecordKind,
  OrderRecordKinds,
  orderRecordKey,
  parseReservationItem,
  RECEIPTS_KEY,
  type ReservationRecord,
  type ReservationStatus,
  STOCK_AVAILABLE,
  STOCK_KEY,
} from '@saga/lambda-kit/dynamo';

/** A key attribute: name and DynamoDB scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N' | 'B';
}

/** A table of the saga, independent of its deployed name. */
export interface SagaTableSchema {
  /** One line for people (Terraform descriptions, READMEs). */
  readonly description: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Always on-demand. */
  readonly billingMode: 'PAY_PER_REQUEST';
  /** The attribute DynamoDB TTL expires items by (epoch seconds), if any. */
  readonly ttlAttribute?: string;
  /** The environment variable the Lambdas read the table name from. */
  readonly envVar: string;
}

/** The saga's tables, by logical name. */
export const SagaTables = {
  stock: {
    description: 'Available units per SKU; ReserveStock decrements, ReleaseStock gives back.',
    partitionKey: { name: STOCK_KEY, type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    envVar: TableEnvVars.stock,
  },
  orders: {
    description: 'Per-order records: the order (sk ORDER) and its stock reservation (sk RESERVATION).',
    partitionKey: { name: ORDERS_PK, type: 'S' },
    sortKey: { name: ORDERS_SK, type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    envVar: TableEnvVars.orders,
  },
  receipts: {
    description: 'One receipt row per fulfilled order, with the EventBridge id of its OrderFulfilled event.',
    partitionKey: { name: RECEIPTS_KEY, type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    envVar: TableEnvVars.receipts,
  },
  idempotency: {
    description: 'Powertools idempotency records (short-term duplicate suppression).',
    partitionKey: { name: IDEMPOTENCY_KEY, type: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    ttlAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
    envVar: TableEnvVars.idempotency,
  },
} as const satisfies Record<string, SagaTableSchema>;

/** A logical table name: `stock`, `orders`, `receipts`, `idempotency`. */
export type SagaTableKey = keyof typeof SagaTables;

/** The logical table names, in declaration order. */
export const SagaTableKeys = Object.keys(SagaTables) as readonly SagaTableKey[];

/** Deployed table names, by logical name. */
export type SagaTableNames = Record<SagaTableKey, string>;

/** The table names used when none are given. */
export const DEFAULT_SAGA_TABLE_NAMES: Readonly<SagaTableNames> = Object.freeze({
  stock: 'saga-stock',
  orders: 'saga-orders',
  receipts: 'saga-receipts',
  idempotency: 'saga-idempotency',
});

/**
 * Table names with a random suffix, so tests sharing one server do not see each other's data.
 *
 * @example const names = uniqueSagaTableNames('reserve'); // { stock: 'reserve-stock-k3j9x1', ... }
 */
export function uniqueSagaTableNames(prefix = 'test'): SagaTableNames {
  const suffix = Math.random().toString(36).slice(2, 8);
  const entries = SagaTableKeys.map((key) => [key, `${prefix}-${key}-${suffix}`] as const);
  return Object.fromEntries(entries) as SagaTableNames;
}

/** The environment the Lambdas read the table names from, e.g. `{ STOCK_TABLE: 'saga-stock', ... }`. */
export function sagaTableEnv(names: Partial<SagaTableNames> = {}): Record<string, string> {
  const resolved = { ...DEFAULT_SAGA_TABLE_NAMES, ...names };
  return Object.fromEntries(SagaTableKeys.map((key) => [SagaTables[key].envVar, resolved[key]]));
}

/** The CreateTable request for a schema (without TTL, which is a separate call). */
export function createTableInput(schema: SagaTableSchema, tableName: string): CreateTableCommandInput {
  const keys = schema.sortKey ? [schema.partitionKey, schema.sortKey] : [schema.partitionKey];
  const AttributeDefinitions: AttributeDefinition[] = keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type }));
  const KeySchema: KeySchemaElement[] = keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' }));
  return { TableName: tableName, AttributeDefinitions, KeySchema, BillingMode: schema.billingMode };
}

/** Options of {@link createSagaTables}. */
export interface CreateSagaTablesOptions {
  /**
   * Enable TTL on tables that define one. dynalite does not implement UpdateTimeToLive; with `'auto'`
   * that answer is ignored.
   * @default 'auto'
   */
  readonly ttl?: boolean | 'auto';
  /** How long to wait for each table to become ACTIVE. @default 10_000 */
  readonly timeoutMs?: number;
}

/**
 * Creates the saga's tables (all four) and waits until they are ACTIVE.
 * @returns the table names used.
 */
export async function createSagaTables(
  client: DynamoDBClient,
  names: Partial<SagaTableNames> = {},
  options: CreateSagaTablesOptions = {},
): Promise<SagaTableNames> {
  const resolved: SagaTableNames = { ...DEFAULT_SAGA_TABLE_NAMES, ...names };
  const ttl = options.ttl ?? 'auto';
  await Promise.all(
    SagaTableKeys.map(async (key) => {
      const schema: SagaTableSchema = SagaTables[key];
      const tableName = resolved[key];
      await client.send(new CreateTableCommand(createTableInput(schema, tableName)));
      await waitForTableActive(client, tableName, options.timeoutMs ?? 10_000);
      if (schema.ttlAttribute !== undefined && ttl !== false) {
        try {
          await client.send(
            new UpdateTimeToLiveCommand({
              TableName: tableName,
              TimeToLiveSpecification: { AttributeName: schema.ttlAttribute, Enabled: true },
            }),
          );
        } catch (error) {
          if (!(ttl === 'auto' && errorName(error) === 'UnknownOperationException')) throw error;
        }
      }
    }),
  );
  return resolved;
}

/** Polls DescribeTable until the table is ACTIVE. */
export async function waitForTableActive(client: DynamoDBClient, tableName: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new Error(`table ${tableName} not ACTIVE after ${timeoutMs} ms (status ${Table?.TableStatus ?? 'unknown'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Writes `{ sku, available }` for each entry (overwriting what was there). */
export async function seedStock(client: DynamoDBClient, table: string, stock: Readonly<Record<string, number>>): Promise<void> {
  await Promise.all(
    Object.entries(stock).map(([sku, available]) => {
      if (!Number.isInteger(available) || available < 0) {
        throw new RangeError(`seedStock: ${sku} needs a non-negative integer, got ${String(available)}`);
      }
      return client.send(
        new PutItemCommand({
          TableName: table,
          Item: { [STOCK_KEY]: { S: sku }, [STOCK_AVAILABLE]: { N: String(available) } },
        }),
      );
    }),
  );
}

/**
 * Reads the available units (strongly consistent): of the given SKUs, or of every SKU in the table.
 * A SKU without an item is absent from the result.
 */
export async function readStock(client: DynamoDBClient, table: string, skus?: readonly string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  if (skus !== undefined) {
    await Promise.all(
      skus.map(async (sku) => {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: table, Key: { [STOCK_KEY]: { S: sku } }, ConsistentRead: true }),
        );
        const available = Item?.[STOCK_AVAILABLE]?.N;
        if (available !== undefined) result[sku] = Number(available);
      }),
    );
    return result;
  }
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const sku = item[STOCK_KEY]?.S;
      const available = item[STOCK_AVAILABLE]?.N;
      if (sku !== undefined && available !== undefined) result[sku] = Number(available);
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return result;
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

// ---- Records the apps write (for fixtures and assertions) ---------------------------------------

/** Writes a reservation record as ReserveStock does (a fixture; it does not touch stock). */
export async function putReservation(client: DynamoDBClient, table: string, record: ReservationRecord): Promise<void> {
  await client.send(new PutItemCommand({ TableName: table, Item: reservationItem(record) }));
}

/** Reads an order's reservation record (strongly consistent), or `undefined`. */
export async function readReservation(client: DynamoDBClient, table: string, orderId: string): Promise<ReservationRecord | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: reservationKey(orderId), ConsistentRead: true }));
  if (Item === undefined) return undefined;
  const plain = unmarshallItem(Item) as Record<string, unknown>;
  const { pk: _pk, sk: _sk, ...record } = plain;
  return record as unknown as ReservationRecord;
}

/** Reads an order's receipt row as plain JavaScript (strongly consistent), or `undefined`. */
export async function readReceipt(client: DynamoDBClient, table: string, orderId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { [RECEIPTS_KEY]: { S: orderId } }, ConsistentRead: true }));
  return Item === undefined ? undefined : (unmarshallItem(Item) as Record<string, unknown>);
}

/** Converts a DynamoDB item to plain JavaScript (S, N as number, BOOL, NULL, L, M, SS, NS). */
export function unmarshallItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, unmarshallValue(v)]));
}

function unmarshallValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(unmarshallValue);
  if (value.M !== undefined) return unmarshallItem(value.M);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  return undefined;
}
