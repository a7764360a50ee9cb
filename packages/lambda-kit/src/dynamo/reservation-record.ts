import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ReservedLine } from '@saga/contracts';
import { OrderRecordKinds, orderRecordItemKey } from './tables.js';

// The reservation record in the orders table. ReserveStock writes it, ReleaseStock flips it to
// `released` once; `@saga/testkit` writes and reads it in tests (`putReservation`, `readReservation`):
//   pk = ORDER#<orderId>, sk = RESERVATION, orderId, reservationId, status (reserved | released),
//   lines = [{ sku, quantity }], reservedAt, releasedAt?

/** A reservation's state: ReserveStock writes `reserved`, ReleaseStock flips it to `released` once. */
export type ReservationStatus = 'reserved' | 'released';

/** A reservation record, as stored. */
export interface ReservationRecord {
  readonly orderId: string;
  readonly reservationId: string;
  readonly status: ReservationStatus;
  readonly lines: readonly ReservedLine[];
  readonly reservedAt: string;
  readonly releasedAt?: string;
}

/** The orders table key of an order's reservation record. */
export function reservationKey(orderId: string): Record<string, AttributeValue> {
  return orderRecordItemKey(orderId, OrderRecordKinds.reservation);
}

/** The reservation id of an order: deterministic, so a replay reports the same reservation. */
export function reservationIdFor(orderId: string): string {
  return `rsv_${orderId}`;
}

/** The stored item of a reservation record (with `releasedAt` when set). */
export function reservationItem(record: ReservationRecord): Record<string, AttributeValue> {
  return {
    ...reservationKey(record.orderId),
    orderId: { S: record.orderId },
    reservationId: { S: record.reservationId },
    status: { S: record.status },
    lines: { L: record.lines.map((l) => ({ M: { sku: { S: l.sku }, quantity: { N: String(l.quantity) } } })) },
    reservedAt: { S: record.reservedAt },
    ...(record.releasedAt !== undefined ? { releasedAt: { S: record.releasedAt } } : {}),
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
