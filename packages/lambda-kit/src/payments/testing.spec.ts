import { OrderSchema, paymentRecordFrom, PaymentRecordLookupSchema } from '@saga/contracts';
import { describe, expect, it } from 'vitest';
import { anOrder, memoryLogger, personalData, recordLookup } from './testing.js';

describe('payment test fixtures', () => {
  it('anOrder is a valid order, with overrides', () => {
    expect(OrderSchema.parse(anOrder())).toEqual(anOrder());
    expect(anOrder({ orderId: 'ord-2' }).orderId).toBe('ord-2');
  });

  it('personalData lists every personal value of the customer', () => {
    expect(personalData(anOrder())).toEqual([
      'Ada Lovelace',
      'ada.lovelace@example.com',
      '+447700900123',
      '12 Analytical Row',
      'Flat 3',
      'Marylebone',
      'NW1 6XE',
    ]);
  });

  it('recordLookup is the order record as dynamodb:getItem gives it, and parses back to the record', () => {
    const record = { paymentIntentId: 'pi_1', paymentStatus: 'refunded', amount: 2999, currency: 'eur', refundId: 're_1' } as const;
    const lookup = recordLookup('ord-1', record);
    expect(lookup).toEqual({
      Item: {
        pk: { S: 'ORDER#ord-1' },
        sk: { S: 'ORDER' },
        orderId: { S: 'ord-1' },
        paymentIntentId: { S: 'pi_1' },
        paymentStatus: { S: 'refunded' },
        amount: { N: '2999' },
        currency: { S: 'eur' },
        refundId: { S: 're_1' },
      },
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: 'local' },
    });
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse(lookup))).toEqual({ orderId: 'ord-1', ...record });
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse(recordLookup('ord-1')))).toBeUndefined();
  });

  it('memoryLogger keeps what it is given', () => {
    const logger = memoryLogger();
    logger.info('started', { orderId: 'ord-1' });
    logger.warn('failed');
    expect(logger.entries).toEqual([
      { level: 'info', message: 'started', extra: [{ orderId: 'ord-1' }] },
      { level: 'warn', message: 'failed', extra: [] },
    ]);
  });
});
