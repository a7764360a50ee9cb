import { OrderSchema } from '@saga/contracts';
import { describe, expect, it } from 'vitest';
import { anOrder, memoryLogger, personalData } from './testing.js';

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
