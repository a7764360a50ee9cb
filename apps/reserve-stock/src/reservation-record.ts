import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ReservedLine } from '@saga/contracts';

// The reservation record in the orders table (the layout `@saga/testkit` defines in
// `SagaTables.orders`; ReleaseStock reads the same record):
//   pk = ORDER#<orderId>, sk = RESERVATION, orderId, reservationId, status (reserved | released),
//   lines = [{ sku, quantity }], reservedAt, releasedAt?

/** Key attribute names of the stock table. */
export const STOCK_KEY = 'sku';
/** Units that can still be reserved. */
export const STOCK_AVAILABLE = 'available';

/** The orders table key of an order's reservation record. */
export function reservationKey(orderId: string): Record<string, AttributeValue> {
  return { pk: { S: `ORDER#${orderId}` }, sk: { S: 'RESERVATION' } };
}

/** The reservation id of an order: deterministic, so a replay reports the same reservation. */
export function reservationIdFor(orderId: string): string {
  return `rsv_${orderId}`;
}

/** A reservation record, as stored. */
export interface ReservationRecord {
  readonly orderId: string;
  readonly reservationId: string;
  readonly status: 'reserved' | 'released';
  readonly lines: ReservedLine[];
  readonly reservedAt: string;
  readonly releasedAt?: string;
}

/** The item ReserveStock puts. */
export function reservationItem(record: ReservationRecord): Record<string, AttributeValue> {
  return {
    ...reservationKey(record.orderId),
    orderId: { S: record.orderId },
    reservationId: { S: record.reservationId },
    status: { S: record.status },
    lines: { L: record.lines.map((l) => ({ M: { sku: { S: l.sku }, quantity: { N: String(l.quantity) } } })) },
    reservedAt: { S: record.reservedAt },
  };
}

/** Reads a stored reservation item; throws when it is not one (a defect, escalated as is). */
export function parseReservationItem(item: Record<string, AttributeValue>): ReservationRecord {
  const orderId = item['orderId']?.S;
  const reservationId = item['reservationId']?.S;
  const status = item['status']?.S;
  const reservedAt = item['reservedAt']?.S;
  const lines = item['lines']?.L?.map((value) => ({
    sku: value.M?.['sku']?.S,
    quantity: value.M?.['quantity']?.N === undefined ? Number.NaN : Number(value.M['quantity'].N),
  }));
  const valid =
    orderId !== undefined &&
    reservationId !== undefined &&
    reservedAt !== undefined &&
    (status === 'reserved' || status === 'released') &&
    lines !== undefined &&
    lines.every((l) => l.sku !== undefined && Number.isInteger(l.quantity) && l.quantity > 0);
  if (!valid) throw new Error('malformed reservation record in the orders table');
  const releasedAt = item['releasedAt']?.S;
  return {
    orderId,
    reservationId,
    status,
    lines: lines as ReservedLine[],
    reservedAt,
    ...(releasedAt !== undefined ? { releasedAt } : {}),
  };
}

/** Whether two line lists reserve the same quantities of the same SKUs (in any order). */
export function sameLines(a: readonly ReservedLine[], b: readonly ReservedLine[]): boolean {
  if (a.length !== b.length) return false;
  const quantities = new Map(a.map((l) => [l.sku, l.quantity]));
  return b.every((l) => quantities.get(l.sku) === l.quantity);
}
