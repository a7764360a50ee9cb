import {
  type AttributeValue,
  type ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isConditionalCheckFailed } from '../aws/errors.js';

/**
 * The payment state of an order, kept in the orders table so a retry (even days later, after Stripe has
 * forgotten its idempotency keys) continues from what happened instead of charging again. ChargePayment
 * writes it ({@link recordPaymentIntent}, {@link updatePaymentStatus}); RefundPayment reads it and records
 * its compensation ({@link recordCompensation}). This file is the one definition of the layout.
 *
 * Item: `pk` = `ORDER#<orderId>`, `sk` = `ORDER` (the order record; the reservation lives beside it at
 * `sk` = `RESERVATION`). Payment attributes, written only by ChargePayment and RefundPayment, no PII:
 * `orderId`, `paymentIntentId`, `paymentStatus`, `amount` (minor unit), `currency`, `refundId`, `updatedAt`.
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

/** The outcome of {@link recordPaymentIntent}. */
export type RecordResult = { readonly recorded: true } | { readonly recorded: false; readonly existingPaymentIntentId: string };

/**
 * Stores the order's PaymentIntent id, once: the write succeeds when no id is recorded or the same id
 * is; otherwise it reports the id already there (a concurrent or earlier attempt won).
 */
export async function recordPaymentIntent(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  table: string,
  args: { orderId: string; paymentIntentId: string; amount: number; currency: string; status: PaymentStatus; now: Date },
): Promise<RecordResult> {
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: orderRecordKey(args.orderId),
        UpdateExpression:
          'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, amount = :amount, currency = :currency, updatedAt = :now',
        ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
        ExpressionAttributeValues: {
          ':orderId': { S: args.orderId },
          ':pi': { S: args.paymentIntentId },
          ':status': { S: args.status },
          ':amount': { N: String(args.amount) },
          ':currency': { S: args.currency },
          ':now': { S: args.now.toISOString() },
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { recorded: true };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    // DynamoDB returns the old item; dynalite does not, so read it when absent.
    const existing = (error as ConditionalCheckFailedException).Item?.['paymentIntentId']?.S ??
      (await readPaymentRecord(dynamodb, table, args.orderId))?.paymentIntentId;
    if (existing === undefined) throw error;
    return { recorded: false, existingPaymentIntentId: existing };
  }
}

/**
 * Sets the payment status of the order whose recorded PaymentIntent is `paymentIntentId`.
 * @throws {ConditionalCheckFailedException} when the record names no or another PaymentIntent
 */
export async function updatePaymentStatus(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  table: string,
  args: { orderId: string; paymentIntentId: string; status: PaymentStatus; now: Date },
): Promise<void> {
  await dynamodb.send(
    new UpdateItemCommand({
      TableName: table,
      Key: orderRecordKey(args.orderId),
      UpdateExpression: 'SET paymentStatus = :status, updatedAt = :now',
      ConditionExpression: 'paymentIntentId = :pi',
      ExpressionAttributeValues: { ':status': { S: args.status }, ':now': { S: args.now.toISOString() }, ':pi': { S: args.paymentIntentId } },
    }),
  );
}

/**
 * Records what the compensation did (RefundPayment). The PaymentIntent id is written if the record has
 * none (the id came from the step input) and must match if it has one.
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
