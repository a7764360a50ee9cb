import { describe, expect, it } from 'vitest';
import { ORDERS_PK, ORDERS_SK, OrderRecordKinds, orderRecordItemKey, orderRecordKey, TableEnvVars } from './tables.js';

describe('orders table keys', () => {
  it('puts every record of an order under ORDER#<orderId>, by kind', () => {
    expect(orderRecordKey('ord-1', OrderRecordKinds.order)).toEqual({ pk: 'ORDER#ord-1', sk: 'ORDER' });
    expect(orderRecordKey('ord-1', OrderRecordKinds.reservation)).toEqual({ pk: 'ORDER#ord-1', sk: 'RESERVATION' });
  });

  it('gives the same key as DynamoDB attribute values', () => {
    expect(orderRecordItemKey('ord-1', OrderRecordKinds.order)).toEqual({ [ORDERS_PK]: { S: 'ORDER#ord-1' }, [ORDERS_SK]: { S: 'ORDER' } });
  });
});

describe('TableEnvVars', () => {
  it('names the variables the deployment sets', () => {
    expect(TableEnvVars).toEqual({ stock: 'STOCK_TABLE', orders: 'ORDERS_TABLE', receipts: 'RECEIPTS_TABLE', idempotency: 'IDEMPOTENCY_TABLE' });
  });
});
