import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ORDER_PK_PREFIX, ORDER_RECORD_SK } from '@saga/contracts';

// The key layout of the saga's DynamoDB tables, shared by the Lambdas that write them and by
// `@saga/testkit` (`SagaTables`), which creates the tables and reads them back in tests.

/** Stock table: one item per SKU, `{ sku, available }`; `sku` is the partition key. */
export const STOCK_KEY = 'sku';
/** Stock table: the number of units that can still be reserved (never negative). */
export const STOCK_AVAILABLE = 'available';

/** Orders table: partition key, `ORDER#<orderId>` (see {@link orderRecordKey}). */
export const ORDERS_PK = 'pk';
/** Orders table: sort key, the record kind (see {@link OrderRecordKinds}). */
export const ORDERS_SK = 'sk';
/** Prefix of the orders table partition key (the order record's layout is `@saga/contracts`'). */
export { ORDER_PK_PREFIX };

/** The records kept per order in the orders table, by sort key. */
export const OrderRecordKinds = {
  /** The order itself, with its payment state (ChargePayment, RefundPayment). */
  order: ORDER_RECORD_SK,
  /** The stock reservation written by ReserveStock and released by ReleaseStock. */
  reservation: 'RESERVATION',
} as const;
export type OrderRecordKind = (typeof OrderRecordKinds)[keyof typeof OrderRecordKinds];

/** The key of one of an order's records in the orders table, as plain strings. */
export function orderRecordKey(orderId: string, kind: OrderRecordKind): { pk: string; sk: OrderRecordKind } {
  return { pk: `${ORDER_PK_PREFIX}${orderId}`, sk: kind };
}

/** The same key as a DynamoDB `Key` (`{ pk: { S }, sk: { S } }`). */
export function orderRecordItemKey(orderId: string, kind: OrderRecordKind): Record<string, AttributeValue> {
  const { pk, sk } = orderRecordKey(orderId, kind);
  return { [ORDERS_PK]: { S: pk }, [ORDERS_SK]: { S: sk } };
}

/** Receipts table: one row per order; the partition key is the order id. */
export const RECEIPTS_KEY = 'orderId';

/** Idempotency table (Powertools idempotency layout): partition key. */
export const IDEMPOTENCY_KEY = 'id';
/** Idempotency table: epoch-seconds expiry; the TTL attribute. */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/** The environment variables the Lambdas read the deployed table names from, by logical table. */
export const TableEnvVars = {
  stock: 'STOCK_TABLE',
  orders: 'ORDERS_TABLE',
  receipts: 'RECEIPTS_TABLE',
  idempotency: 'IDEMPOTENCY_TABLE',
} as const;

/** The variable that points the DynamoDB client at a local server (dynalite, DynamoDB Local). */
export const DYNAMODB_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_DYNAMODB';
