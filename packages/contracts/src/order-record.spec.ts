import { describe, expect, it } from 'vitest';
import {
  InvalidOrderError,
  ORDER_PK_PREFIX,
  ORDER_RECORD_SK,
  orderRecordKey,
  paymentRecordFrom,
  PaymentRecordLookupSchema,
  PaymentStatusSchema,
} from './index.js';

/** GetItem's output as Step Functions' `dynamodb:getItem` gives it. */
const lookup = (item?: Record<string, unknown>) => ({
  ...(item && { Item: { pk: { S: 'ORDER#ord-1' }, sk: { S: 'ORDER' }, ...item } }),
  SdkHttpMetadata: { HttpStatusCode: 200, HttpHeaders: { 'x-amzn-RequestId': 'R1' } },
  SdkResponseMetadata: { RequestId: 'R1' },
});

function issues(value: unknown): string {
  const result = PaymentRecordLookupSchema.safeParse(value);
  if (result.success) throw new Error('expected a parse error');
  return InvalidOrderError.fromZodError(result.error).message;
}

describe('the order record key', () => {
  it('is ORDER#<orderId> / ORDER, as DynamoDB attribute values', () => {
    expect([ORDER_PK_PREFIX, ORDER_RECORD_SK]).toEqual(['ORDER#', 'ORDER']);
    expect(orderRecordKey('ord-1')).toEqual({ pk: { S: 'ORDER#ord-1' }, sk: { S: 'ORDER' } });
  });
});

describe('PaymentRecordLookupSchema and paymentRecordFrom', () => {
  it('read every payment attribute; other attributes and members are ignored', () => {
    const parsed = PaymentRecordLookupSchema.parse(
      lookup({
        orderId: { S: 'ord-1' },
        paymentIntentId: { S: 'pi_123' },
        paymentStatus: { S: 'refunded' },
        amount: { N: '2999' },
        currency: { S: 'eur' },
        refundId: { S: 're_9' },
        updatedAt: { S: '2026-11-22T10:00:00.000Z' },
        reservationId: { S: 'someone else’s attribute' },
      }),
    );
    expect(paymentRecordFrom(parsed)).toEqual({
      orderId: 'ord-1',
      paymentIntentId: 'pi_123',
      paymentStatus: 'refunded',
      amount: 2999,
      currency: 'eur',
      refundId: 're_9',
      updatedAt: '2026-11-22T10:00:00.000Z',
    });
  });

  it('no Item: no record; an Item without payment attributes: an empty record', () => {
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse(lookup()))).toBeUndefined();
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse({}))).toBeUndefined();
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse(lookup({})))).toEqual({});
  });

  it('refuses a payment attribute of the wrong type or value, naming its path', () => {
    expect(issues(lookup({ amount: { S: 'x' } }))).toBe('Invalid order: 1 issue: Item.amount.N invalid_type (expected string)');
    expect(issues(lookup({ amount: { N: '12.5' } }))).toBe('Invalid order: 1 issue: Item.amount.N invalid_format (minor_units)');
    expect(issues(lookup({ paymentStatus: { S: 'settled' } }))).toBe('Invalid order: 1 issue: Item.paymentStatus.S invalid_value (not an allowed value)');
    expect(issues(lookup({ paymentIntentId: { S: 'ch_1' } }))).toBe('Invalid order: 1 issue: Item.paymentIntentId.S invalid_format (stripe_payment_intent)');
    expect(issues(lookup({ refundId: { N: '1' } }))).toBe('Invalid order: 1 issue: Item.refundId.S invalid_type (expected string)');
    expect(issues({ Item: 'ORDER#ord-1' })).toBe('Invalid order: 1 issue: Item invalid_type (expected object)');
    expect(issues(null)).toBe('Invalid order: 1 issue: (root) invalid_type (expected object)');
  });

  it('knows the payment statuses', () => {
    expect(PaymentStatusSchema.options).toEqual(['created', 'authorised', 'declined', 'captured', 'canceled', 'refunded']);
    // `created`: the PaymentIntent is recorded before it is confirmed, i.e. before anything is held on the card.
    expect(paymentRecordFrom(PaymentRecordLookupSchema.parse(lookup({ paymentIntentId: { S: 'pi_123' }, paymentStatus: { S: 'created' } })))).toEqual({
      paymentIntentId: 'pi_123',
      paymentStatus: 'created',
    });
  });
});
