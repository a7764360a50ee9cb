import { describe, expect, it } from 'vitest';
import { parseReceiptItem, type ReceiptRecord, receiptIdFor, receiptItem, receiptKey } from './receipt-record.js';

const receipt: ReceiptRecord = {
  orderId: 'ord-1',
  receiptId: 'rcpt_ord-1',
  customerId: 'cus_42',
  paymentIntentId: 'pi_123',
  amount: 2500,
  currency: 'gbp',
  reservationId: 'rsv_ord-1',
  shipmentId: 'shp_9',
  carrier: 'Parcel Co',
  trackingNumber: 'TRK-0001',
  lines: [{ sku: 'SKU-A', quantity: 2, unitPrice: 1250 }],
  fulfilledAt: '2026-11-22T10:00:00.000Z',
};

describe('receipt row', () => {
  it('is keyed by order id, with a deterministic receipt id', () => {
    expect(receiptKey('ord-1')).toEqual({ orderId: { S: 'ord-1' } });
    expect(receiptIdFor('ord-1')).toBe('rcpt_ord-1');
  });

  it('stores ids and amounts only, without the event id until it is published', () => {
    const item = receiptItem({ ...receipt, eventId: 'evt-1', publishedAt: 'later' });
    expect(item).toMatchObject({ orderId: { S: 'ord-1' }, amount: { N: '2500' }, lines: { L: [{ M: { unitPrice: { N: '1250' } } }] } });
    expect(item).not.toHaveProperty('eventId');
    expect(item).not.toHaveProperty('publishedAt');
  });

  it('round-trips, the recorded event included', () => {
    expect(parseReceiptItem(receiptItem(receipt))).toEqual(receipt);
    const item = { ...receiptItem(receipt), eventId: { S: 'evt-1' }, publishedAt: { S: '2026-11-22T10:00:01.000Z' } };
    expect(parseReceiptItem(item)).toEqual({ ...receipt, eventId: 'evt-1', publishedAt: '2026-11-22T10:00:01.000Z' });
  });

  it.each([
    ['receiptId', { receiptId: { N: '1' } }, '(receiptId)'],
    ['amount', { amount: { N: 'x' } }, '(amount)'],
    ['lines', { lines: { S: 'x' } }, '(lines)'],
    ['lines.sku', { lines: { L: [{ M: { quantity: { N: '1' }, unitPrice: { N: '1' } } }] } }, '(lines.sku)'],
    ['lines.quantity', { lines: { L: [{ M: { sku: { S: 'A' }, unitPrice: { N: '1' } } }] } }, '(lines.quantity)'],
  ])('rejects a row with a bad %s', (_, change, detail) => {
    expect(() => parseReceiptItem({ ...receiptItem(receipt), ...change })).toThrow(`malformed receipt row in the receipts table ${detail}`);
  });
});
