import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Currency, EmitReceiptInput, OrderFulfilledDetail } from '@saga/contracts';

// The receipt row (receipts table, pk `orderId`; `@saga/testkit` `SagaTables.receipts`). It holds ids,
// amounts and statuses only: no names, e-mails, phones or addresses. `eventId` is set once the
// OrderFulfilled event is published, so a replay does not publish again.

/** Key attribute of the receipts table. */
export const RECEIPTS_KEY = 'orderId';

/** The receipt id of an order: deterministic, so replays report the same receipt. */
export function receiptIdFor(orderId: string): string {
  return `rcpt_${orderId}`;
}

/** A receipt row, as stored. */
export interface ReceiptRecord {
  readonly orderId: string;
  readonly receiptId: string;
  readonly customerId: string;
  readonly paymentIntentId: string;
  readonly amount: number;
  readonly currency: Currency;
  readonly reservationId: string;
  readonly shipmentId: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly lines: ReadonlyArray<{ readonly sku: string; readonly quantity: number; readonly unitPrice: number }>;
  /** When the order was fulfilled (the row's creation); the event's `fulfilledAt`. */
  readonly fulfilledAt: string;
  /** The EventBridge id of the published OrderFulfilled event. */
  readonly eventId?: string;
  readonly publishedAt?: string;
}

/** The receipt of a validated EmitReceipt input. */
export function receiptFor(input: EmitReceiptInput, fulfilledAt: Date): ReceiptRecord {
  const { order, payment, reservation, shipment } = input;
  return {
    orderId: order.orderId,
    receiptId: receiptIdFor(order.orderId),
    customerId: order.customer.id,
    paymentIntentId: payment.paymentIntentId,
    amount: payment.amount,
    currency: payment.currency,
    reservationId: reservation.reservationId,
    shipmentId: shipment.shipmentId,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
    fulfilledAt: fulfilledAt.toISOString(),
  };
}

/** The item EmitReceipt puts (without `eventId`, which is recorded after publishing). */
export function receiptItem(record: ReceiptRecord): Record<string, AttributeValue> {
  const s = (value: string): AttributeValue => ({ S: value });
  const n = (value: number): AttributeValue => ({ N: String(value) });
  return {
    [RECEIPTS_KEY]: s(record.orderId),
    receiptId: s(record.receiptId),
    customerId: s(record.customerId),
    paymentIntentId: s(record.paymentIntentId),
    amount: n(record.amount),
    currency: s(record.currency),
    reservationId: s(record.reservationId),
    shipmentId: s(record.shipmentId),
    carrier: s(record.carrier),
    trackingNumber: s(record.trackingNumber),
    lines: { L: record.lines.map((l) => ({ M: { sku: s(l.sku), quantity: n(l.quantity), unitPrice: n(l.unitPrice) } })) },
    fulfilledAt: s(record.fulfilledAt),
  };
}

/** Reads a stored receipt row; throws when it is not one (a defect, escalated as is). */
export function parseReceiptItem(item: Record<string, AttributeValue>): ReceiptRecord {
  const str = (name: string): string => {
    const value = item[name]?.S;
    if (value === undefined) throw new Error(`malformed receipt row in the receipts table (${name})`);
    return value;
  };
  const num = (value: AttributeValue | undefined, name: string): number => {
    const parsed = value?.N === undefined ? Number.NaN : Number(value.N);
    if (!Number.isFinite(parsed)) throw new Error(`malformed receipt row in the receipts table (${name})`);
    return parsed;
  };
  const lines = item['lines']?.L;
  if (lines === undefined) throw new Error('malformed receipt row in the receipts table (lines)');
  const eventId = item['eventId']?.S;
  const publishedAt = item['publishedAt']?.S;
  return {
    orderId: str(RECEIPTS_KEY),
    receiptId: str('receiptId'),
    customerId: str('customerId'),
    paymentIntentId: str('paymentIntentId'),
    amount: num(item['amount'], 'amount'),
    currency: str('currency') as Currency,
    reservationId: str('reservationId'),
    shipmentId: str('shipmentId'),
    carrier: str('carrier'),
    trackingNumber: str('trackingNumber'),
    lines: lines.map((line) => {
      const sku = line.M?.['sku']?.S;
      if (sku === undefined) throw new Error('malformed receipt row in the receipts table (lines.sku)');
      return { sku, quantity: num(line.M?.['quantity'], 'lines.quantity'), unitPrice: num(line.M?.['unitPrice'], 'lines.unitPrice') };
    }),
    fulfilledAt: str('fulfilledAt'),
    ...(eventId !== undefined ? { eventId } : {}),
    ...(publishedAt !== undefined ? { publishedAt } : {}),
  };
}

/** The OrderFulfilled detail of a receipt (ids and amounts only). */
export function orderFulfilledDetail(record: ReceiptRecord): OrderFulfilledDetail {
  return {
    orderId: record.orderId,
    customerId: record.customerId,
    receiptId: record.receiptId,
    payment: { paymentIntentId: record.paymentIntentId, amount: record.amount, currency: record.currency },
    shipment: { shipmentId: record.shipmentId, carrier: record.carrier, trackingNumber: record.trackingNumber },
    fulfilledAt: record.fulfilledAt,
  };
}
