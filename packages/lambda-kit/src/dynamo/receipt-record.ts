import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Currency } from '@saga/contracts';
import { RECEIPTS_KEY } from './tables.js';

// The receipt row (receipts table, pk `orderId`; `@saga/testkit` `SagaTables.receipts`), written by
// EmitReceipt. It holds ids, amounts and statuses only: no names, e-mails, phones or addresses.
// `eventId` is set once the OrderFulfilled event is published, so a replay does not publish again.

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

/** The receipt id of an order: deterministic, so replays report the same receipt. */
export function receiptIdFor(orderId: string): string {
  return `rcpt_${orderId}`;
}

/** The receipts table key of an order's receipt. */
export function receiptKey(orderId: string): Record<string, AttributeValue> {
  return { [RECEIPTS_KEY]: { S: orderId } };
}

/** The stored item of a receipt, without `eventId` / `publishedAt` (recorded after publishing). */
export function receiptItem(record: ReceiptRecord): Record<string, AttributeValue> {
  const s = (value: string): AttributeValue => ({ S: value });
  const n = (value: number): AttributeValue => ({ N: String(value) });
  return {
    ...receiptKey(record.orderId),
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
