import { type AttributeValue, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * The payment state of an order in the orders table, as ChargePayment records it (the same item and
 * attribute names; the integration tests run both apps against the same table layout).
 *
 * Item: `pk` = `ORDER#<orderId>`, `sk` = `ORDER`. Payment attributes, no PII: `orderId`,
 * `paymentIntentId`, `paymentStatus`, `amount`, `currency`, `refundId`, `updatedAt`.
 */
export interface OrderPaymentRecord {
  readonly orderId: string;
  readonly paymentIntentId?: string;
  readonly paymentStatus?: PaymentStatus;
  readonly amount?: number;
  readonly currency?: string;
  readonly refundId?: string;
  readonly updatedAt?: string;
}

/** Where the order's payment stands. */
export type PaymentStatus = 'authorised' | 'declined' | 'captured' | 'canceled' | 'refunded';

export const ORDER_PK_PREFIX = 'ORDER#';
export const ORDER_RECORD_SK = 'ORDER';

export function orderRecordKey(orderId: string): Record<string, AttributeValue> {
  return { pk: { S: `${ORDER_PK_PREFIX}${orderId}` }, sk: { S: ORDER_RECORD_SK } };
}

/** The order's payment record (strongly consistent), or `undefined` when nothing was recorded. */
export async function readPaymentRecord(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  table: string,
  orderId: string,
): Promise<OrderPaymentRecord | undefined> {
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: orderRecordKey(orderId), ConsistentRead: true }));
  if (!Item) return undefined;
  const s = (name: string) => Item[name]?.S;
  const amount = Item['amount']?.N;
  return {
    orderId,
    ...(s('paymentIntentId') ? { paymentIntentId: s('paymentIntentId')! } : {}),
    ...(s('paymentStatus') ? { paymentStatus: s('paymentStatus') as PaymentStatus } : {}),
    ...(amount !== undefined ? { amount: Number(amount) } : {}),
    ...(s('currency') ? { currency: s('currency')! } : {}),
    ...(s('refundId') ? { refundId: s('refundId')! } : {}),
    ...(s('updatedAt') ? { updatedAt: s('updatedAt')! } : {}),
  };
}

/**
 * Records what the compensation did. The PaymentIntent id is written if the record has none (the id came
 * from the step input) and must match if it has one.
 */
export async function recordCompensation(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  table: string,
  args: { orderId: string; paymentIntentId: string; status: 'canceled' | 'refunded'; refundId?: string; now: Date },
): Promise<void> {
  const values: Record<string, AttributeValue> = {
    ':orderId': { S: args.orderId },
    ':pi': { S: args.paymentIntentId },
    ':status': { S: args.status },
    ':now': { S: args.now.toISOString() },
  };
  let update = 'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, updatedAt = :now';
  if (args.refundId !== undefined) {
    update += ', refundId = :refundId';
    values[':refundId'] = { S: args.refundId };
  }
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: orderRecordKey(args.orderId),
      UpdateExpression: update,
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: values,
    }),
  );
}
