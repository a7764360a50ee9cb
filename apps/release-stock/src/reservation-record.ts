import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ReservedLine } from '@saga/contracts';

// The reservation record in the orders table, as ReserveStock writes it (the layout `@saga/testkit`
// defines in `SagaTables.orders`; the integration tests write fixtures with its `putReservation`):
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

/** A reservation record, as stored. */
export interface ReservationRecord {
  readonly orderId: string;
  readonly reservationId: string;
  readonly status: 'reserved' | 'released';
  readonly lines: ReservedLine[];
  readonly reservedAt: string;
  readonly releasedAt?: string;
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
