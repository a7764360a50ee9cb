import { describe, expect, it } from 'vitest';
import { parseReservationItem, type ReservationRecord, reservationIdFor, reservationItem, reservationKey } from './reservation-record.js';

const record: ReservationRecord = {
  orderId: 'ord-1',
  reservationId: 'rsv_ord-1',
  status: 'reserved',
  lines: [
    { sku: 'SKU-A', quantity: 2 },
    { sku: 'SKU-B', quantity: 1 },
  ],
  reservedAt: '2026-11-22T10:00:00.000Z',
};

describe('reservation record', () => {
  it('is keyed ORDER#<orderId> / RESERVATION, with a deterministic id', () => {
    expect(reservationKey('ord-1')).toEqual({ pk: { S: 'ORDER#ord-1' }, sk: { S: 'RESERVATION' } });
    expect(reservationIdFor('ord-1')).toBe('rsv_ord-1');
  });

  it('is stored as the layout ReleaseStock and the tests read', () => {
    expect(reservationItem(record)).toEqual({
      pk: { S: 'ORDER#ord-1' },
      sk: { S: 'RESERVATION' },
      orderId: { S: 'ord-1' },
      reservationId: { S: 'rsv_ord-1' },
      status: { S: 'reserved' },
      lines: {
        L: [{ M: { sku: { S: 'SKU-A' }, quantity: { N: '2' } } }, { M: { sku: { S: 'SKU-B' }, quantity: { N: '1' } } }],
      },
      reservedAt: { S: '2026-11-22T10:00:00.000Z' },
    });
  });

  it('round-trips, releasedAt included', () => {
    expect(parseReservationItem(reservationItem(record))).toEqual(record);
    const released = { ...record, status: 'released' as const, releasedAt: '2026-11-22T11:00:00.000Z' };
    expect(reservationItem(released)['releasedAt']).toEqual({ S: released.releasedAt });
    expect(parseReservationItem(reservationItem(released))).toEqual(released);
  });

  it.each([
    ['no status', { status: undefined }],
    ['an unknown status', { status: { S: 'pending' } }],
    ['no lines', { lines: undefined }],
    ['a zero quantity', { lines: { L: [{ M: { sku: { S: 'A' }, quantity: { N: '0' } } }] } }],
    ['a line without sku', { lines: { L: [{ M: { quantity: { N: '1' } } }] } }],
    ['no reservedAt', { reservedAt: undefined }],
  ])('rejects an item with %s', (_, change) => {
    const item = { ...reservationItem(record), ...change } as Parameters<typeof parseReservationItem>[0];
    for (const [key, value] of Object.entries(item)) if (value === undefined) delete item[key];
    expect(() => parseReservationItem(item)).toThrow('malformed reservation record in the orders table');
  });
});
