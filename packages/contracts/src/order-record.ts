import * as z from 'zod/mini';
import { CurrencySchema, OrderIdSchema } from './order.js';

/**
 * The payment state of an order, kept in the orders table so that a retry (even days later, after
 * Stripe has forgotten its idempotency keys) continues from what happened instead of charging again.
 * The state machine reads it (`arn:aws:states:::dynamodb:getItem`) and passes it to ChargePayment and
 * RefundPayment, and writes it (`dynamodb:updateItem`) from their results: the PaymentIntent once
 * created (before any money is held), its authorisation before capture, the capture, and the
 * compensation after RefundPayment. The payment Lambdas hold no AWS client.
 * This file is the one definition of the layout.
 *
 * Item: `pk` = `ORDER#<orderId>`, `sk` = `ORDER` (the order record; the reservation lives beside it at
 * `sk` = `RESERVATION`). Payment attributes, no PII:
 *
 * | attribute | type | meaning |
 * | --- | --- | --- |
 * | `orderId` | S | |
 * | `paymentIntentId` | S | the order's PaymentIntent, written once (`attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi`) |
 * | `paymentStatus` | S | a {@link PaymentStatus} |
 * | `amount` | N | minor units |
 * | `currency` | S | |
 * | `refundId` | S | the refund of the compensation |
 * | `updatedAt` | S | ISO time |
 */
export const ORDER_PK_PREFIX = 'ORDER#';
export const ORDER_RECORD_SK = 'ORDER';

/** The key of an order's record, as DynamoDB attribute values (the `Key` of GetItem / UpdateItem). */
export function orderRecordKey(orderId: string): { pk: { S: string }; sk: { S: string } } {
  return { pk: { S: `${ORDER_PK_PREFIX}${orderId}` }, sk: { S: ORDER_RECORD_SK } };
}

/** A Stripe PaymentIntent id (`pi_...`). */
export const PaymentIntentIdSchema = z.string().check(z.regex(/^pi_[A-Za-z0-9_]{1,252}$/, 'stripe_payment_intent'));

/** A Stripe Refund id (`re_...`). */
export const RefundIdSchema = z.string().check(z.regex(/^re_[A-Za-z0-9_]{1,252}$/, 'stripe_refund'));

/** Where the order's payment stands. */
export const PaymentStatusSchema = z.enum(['created', 'authorised', 'declined', 'captured', 'canceled', 'refunded']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;

/** The payment attributes of the order record (all absent until something is recorded). */
export interface OrderPaymentRecord {
  readonly orderId?: string;
  readonly paymentIntentId?: string;
  readonly paymentStatus?: PaymentStatus;
  /** In the currency's minor unit. */
  readonly amount?: number;
  readonly currency?: string;
  readonly refundId?: string;
  readonly updatedAt?: string;
}

const stringAttribute = <T extends z.ZodMiniType<string>>(value: T) => z.object({ S: value });

/**
 * The DynamoDB GetItem result of the order record, as Step Functions' `dynamodb:getItem` gives it:
 * `Item` is absent when nothing was recorded. Other members (`SdkHttpMetadata`, ...) and other
 * attributes of the item are ignored; a payment attribute of the wrong type or value fails the parse
 * (e.g. `record.Item.amount.N invalid_type`).
 */
export const PaymentRecordLookupSchema = z.object({
  Item: z.optional(
    z.object({
      orderId: z.optional(stringAttribute(OrderIdSchema)),
      paymentIntentId: z.optional(stringAttribute(PaymentIntentIdSchema)),
      paymentStatus: z.optional(stringAttribute(PaymentStatusSchema)),
      amount: z.optional(z.object({ N: z.string().check(z.regex(/^[1-9][0-9]{0,15}$/, 'minor_units')) })),
      currency: z.optional(stringAttribute(CurrencySchema)),
      refundId: z.optional(stringAttribute(RefundIdSchema)),
      updatedAt: z.optional(stringAttribute(z.string())),
    }),
  ),
});
export type PaymentRecordLookup = z.infer<typeof PaymentRecordLookupSchema>;

/** The order's payment record from a parsed lookup, or `undefined` when there is no record. */
export function paymentRecordFrom(lookup: PaymentRecordLookup): OrderPaymentRecord | undefined {
  const item = lookup.Item;
  if (item === undefined) return undefined;
  return {
    ...(item.orderId && { orderId: item.orderId.S }),
    ...(item.paymentIntentId && { paymentIntentId: item.paymentIntentId.S }),
    ...(item.paymentStatus && { paymentStatus: item.paymentStatus.S }),
    ...(item.amount && { amount: Number(item.amount.N) }),
    ...(item.currency && { currency: item.currency.S }),
    ...(item.refundId && { refundId: item.refundId.S }),
    ...(item.updatedAt && { updatedAt: item.updatedAt.S }),
  };
}
