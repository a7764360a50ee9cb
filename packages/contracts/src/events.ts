import * as z from 'zod/mini';
import { CurrencySchema, CustomerSchema, OrderIdSchema } from './order.js';
import { FailedStepSchema } from './saga-steps.js';
import { BookShipmentOutputSchema, ChargePaymentOutputSchema, EmitReceiptOutputSchema } from './steps.js';
import { timestamp } from './text.js';

/** The EventBridge `source` of every fulfilment event. */
export const EVENT_SOURCE = 'com.example.fulfilment';

/** The EventBridge `detail-type`s the saga publishes. */
export const EventDetailTypes = {
  /** Published by EmitReceipt once the order is paid, reserved and booked. */
  OrderFulfilled: 'OrderFulfilled',
  /** Published before the saga's Fail state. */
  OrderFulfillmentFailed: 'OrderFulfillmentFailed',
  /** Published when an execution pauses for a human decision. */
  OrderAwaitingReview: 'OrderAwaitingReview',
} as const;

export type EventDetailType = (typeof EventDetailTypes)[keyof typeof EventDetailTypes];

// Event details carry ids, amounts and statuses only: no names, e-mails, phones or addresses.

/** Detail of `OrderFulfilled`. */
export const OrderFulfilledDetailSchema = z.object({
  orderId: OrderIdSchema,
  customerId: CustomerSchema.shape.id,
  receiptId: EmitReceiptOutputSchema.shape.receiptId,
  payment: z.object({
    paymentIntentId: ChargePaymentOutputSchema.shape.paymentIntentId,
    amount: ChargePaymentOutputSchema.shape.amount,
    currency: CurrencySchema,
  }),
  shipment: BookShipmentOutputSchema,
  fulfilledAt: timestamp(),
});
export type OrderFulfilledDetail = z.infer<typeof OrderFulfilledDetailSchema>;

/** Detail of `OrderFulfillmentFailed`. */
export const OrderFulfillmentFailedDetailSchema = z.object({
  orderId: OrderIdSchema,
  /** The ASL error that ended the order, usually a `SagaErrorName` (e.g. `PaymentDeclined`). */
  error: z.string().check(z.minLength(1), z.maxLength(256)),
  failedStep: z.optional(FailedStepSchema),
  /** Whether compensations ran (payment refunded or canceled, stock released). */
  compensated: z.boolean(),
  failedAt: timestamp(),
});
export type OrderFulfillmentFailedDetail = z.infer<typeof OrderFulfillmentFailedDetailSchema>;

/** Detail of `OrderAwaitingReview`. */
export const OrderAwaitingReviewDetailSchema = z.object({
  orderId: OrderIdSchema,
  executionArn: z.string().check(z.minLength(1), z.maxLength(2_048)),
  failedStep: FailedStepSchema,
  /** The ASL error that was escalated. */
  error: z.string().check(z.minLength(1), z.maxLength(256)),
  requestedAt: timestamp(),
});
export type OrderAwaitingReviewDetail = z.infer<typeof OrderAwaitingReviewDetailSchema>;

/** The detail schema of each detail-type. */
export const EventDetailSchemas = {
  [EventDetailTypes.OrderFulfilled]: OrderFulfilledDetailSchema,
  [EventDetailTypes.OrderFulfillmentFailed]: OrderFulfillmentFailedDetailSchema,
  [EventDetailTypes.OrderAwaitingReview]: OrderAwaitingReviewDetailSchema,
} as const;

/** The detail type of a detail-type, e.g. `EventDetail<'OrderFulfilled'>`. */
export type EventDetail<T extends EventDetailType> = z.infer<(typeof EventDetailSchemas)[T]>;

const envelope = { id: z.string().check(z.minLength(1)), time: z.string().check(z.minLength(1)), source: z.literal(EVENT_SOURCE) };

/**
 * A fulfilment event as an EventBridge rule target receives it, discriminated on `detail-type`.
 * Other envelope fields (`version`, `account`, `region`, `resources`) are accepted and dropped.
 */
export const FulfilmentEventSchema = z.discriminatedUnion('detail-type', [
  z.object({ ...envelope, 'detail-type': z.literal(EventDetailTypes.OrderFulfilled), detail: OrderFulfilledDetailSchema }),
  z.object({
    ...envelope,
    'detail-type': z.literal(EventDetailTypes.OrderFulfillmentFailed),
    detail: OrderFulfillmentFailedDetailSchema,
  }),
  z.object({ ...envelope, 'detail-type': z.literal(EventDetailTypes.OrderAwaitingReview), detail: OrderAwaitingReviewDetailSchema }),
]);
export type FulfilmentEvent = z.infer<typeof FulfilmentEventSchema>;

/** One entry of a PutEvents request, as `@aws-sdk/client-eventbridge` takes it. */
export interface PutEventsEntry {
  readonly Source: typeof EVENT_SOURCE;
  readonly DetailType: EventDetailType;
  /** The detail, JSON-encoded. */
  readonly Detail: string;
  readonly EventBusName?: string;
}

/**
 * Builds a PutEvents entry after validating the detail against its schema (throws a `ZodError` if it
 * does not match). The caller must still check the response's `FailedEntryCount`.
 */
export function putEventsEntry<T extends EventDetailType>(
  detailType: T,
  detail: EventDetail<T>,
  eventBusName?: string,
): PutEventsEntry {
  const parsed: unknown = EventDetailSchemas[detailType].parse(detail);
  const entry: PutEventsEntry = { Source: EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(parsed) };
  return eventBusName === undefined ? entry : { ...entry, EventBusName: eventBusName };
}
