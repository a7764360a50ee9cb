import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clone, validOrder } from '../test/fixtures.js';
import {
  InvalidOrderError,
  OrderLimits,
  OrderSchema,
  SagaError,
  contractIssues,
  formatContractIssues,
  isSagaError,
  orderTotal,
  parseOrder,
  safeParseOrder,
} from './index.js';

/** Parses `input`, expects InvalidOrder, and returns the error. */
function rejected(input: unknown): InvalidOrderError {
  try {
    parseOrder(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOrderError);
    return error as InvalidOrderError;
  }
  throw new Error('expected parseOrder to throw');
}

function withOrder(mutate: (order: Record<string, any>) => void): unknown {
  const order = clone(validOrder()) as Record<string, any>;
  mutate(order);
  return order;
}

describe('parseOrder', () => {
  it('returns the typed order for a valid input', () => {
    const input = validOrder();
    const order = parseOrder(clone(input));
    expect(order).toEqual(input);
    expect(order.customer.shippingAddress.country).toBe('GB');
  });

  it('accepts optional fields being absent', () => {
    const order = parseOrder(
      withOrder((o) => {
        delete o.customer.phone;
      }),
    );
    expect(order.customer.phone).toBeUndefined();
    expect(order.customer.shippingAddress.line2).toBeUndefined();
  });

  it('throws InvalidOrder, a SagaError named after the ASL error', () => {
    const error = rejected({});
    expect(error).toBeInstanceOf(SagaError);
    expect(error.name).toBe('InvalidOrder');
    expect(isSagaError(error, 'InvalidOrder')).toBe(true);
    expect(error.retriable).toBe(false);
    expect(error.disposition).toBe('compensate');
    expect(error.issues.map((i) => i.path)).toEqual(['orderId', 'customer', 'lines', 'currency', 'payment']);
    expect(error.message).toMatch(/^Invalid order: 5 issues: orderId invalid_type \(expected string\)/);
  });

  it.each([
    ['a non-object', 'ord_1', '(root)', 'invalid_type'],
    ['a missing field', withOrder((o) => delete o.customer.email), 'customer.email', 'invalid_type'],
    ['an extra top-level field', withOrder((o) => (o.discountCode = 'SAVE10')), '(root)', 'unrecognized_keys'],
    ['an extra nested field', withOrder((o) => (o.lines[0].colour = 'red')), 'lines[0]', 'unrecognized_keys'],
    ['a wrong type', withOrder((o) => (o.lines[0].quantity = '2')), 'lines[0].quantity', 'invalid_type'],
    ['a zero quantity', withOrder((o) => (o.lines[0].quantity = 0)), 'lines[0].quantity', 'too_small'],
    ['a negative quantity', withOrder((o) => (o.lines[1].quantity = -3)), 'lines[1].quantity', 'too_small'],
    ['a fractional quantity', withOrder((o) => (o.lines[1].quantity = 1.5)), 'lines[1].quantity', 'invalid_type'],
    ['an excessive quantity', withOrder((o) => (o.lines[1].quantity = OrderLimits.quantity + 1)), 'lines[1].quantity', 'too_big'],
    ['a negative unit price', withOrder((o) => (o.lines[0].unitPrice = -1)), 'lines[0].unitPrice', 'too_small'],
    ['a fractional unit price', withOrder((o) => (o.lines[0].unitPrice = 12.5)), 'lines[0].unitPrice', 'invalid_type'],
    ['no lines', withOrder((o) => (o.lines = [])), 'lines', 'too_small'],
    ['too many lines', withOrder((o) => (o.lines = Array.from({ length: 101 }, (_, i) => ({ sku: `S${i}`, quantity: 1, unitPrice: 1 })))), 'lines', 'too_big'],
    ['a duplicate sku', withOrder((o) => (o.lines[1].sku = o.lines[0].sku)), 'lines[1].sku', 'custom'],
    ['a zero total', withOrder((o) => o.lines.forEach((l: any) => (l.unitPrice = 0))), 'lines', 'custom'],
    ['an over-large total', withOrder((o) => (o.lines[0] = { sku: 'X', quantity: 1000, unitPrice: 99_999_999 })), 'lines', 'custom'],
    ['an unknown currency', withOrder((o) => (o.currency = 'xyz')), 'currency', 'invalid_value'],
    ['an uppercase currency', withOrder((o) => (o.currency = 'GBP')), 'currency', 'invalid_value'],
    ['an unknown country', withOrder((o) => (o.customer.shippingAddress.country = 'ZZ')), 'customer.shippingAddress.country', 'invalid_value'],
    ['a lowercase country', withOrder((o) => (o.customer.shippingAddress.country = 'gb')), 'customer.shippingAddress.country', 'invalid_value'],
    ['a bad order id', withOrder((o) => (o.orderId = 'ord 1')), 'orderId', 'invalid_format'],
    ['an over-long order id', withOrder((o) => (o.orderId = 'o'.repeat(65))), 'orderId', 'invalid_format'],
    ['a bad email', withOrder((o) => (o.customer.email = 'not-an-email')), 'customer.email', 'invalid_format'],
    ['a non-E.164 phone', withOrder((o) => (o.customer.phone = '07700 900123')), 'customer.phone', 'invalid_format'],
    ['a non-Stripe payment method', withOrder((o) => (o.payment.paymentMethodId = 'card_123')), 'payment.paymentMethodId', 'invalid_format'],
    ['an over-long name', withOrder((o) => (o.customer.name = 'A'.repeat(201))), 'customer.name', 'too_big'],
    ['an over-long address line', withOrder((o) => (o.customer.shippingAddress.line1 = 'x'.repeat(201))), 'customer.shippingAddress.line1', 'too_big'],
    ['an empty name', withOrder((o) => (o.customer.name = '')), 'customer.name', 'too_small'],
    ['a blank city', withOrder((o) => (o.customer.shippingAddress.city = '   ')), 'customer.shippingAddress.city', 'invalid_format'],
    ['a control character', withOrder((o) => (o.customer.name = 'Ada\u0000Lovelace')), 'customer.name', 'invalid_format'],
    ['a newline in a single-line field', withOrder((o) => (o.customer.shippingAddress.line1 = '12 Row\nLondon')), 'customer.shippingAddress.line1', 'invalid_format'],
  ])('rejects %s', (_label, input, path, code) => {
    const error = rejected(input);
    expect(error.issues).toContainEqual(expect.objectContaining({ path, code }));
  });

  it('names the rule a custom check or pattern broke', () => {
    const duplicate = rejected(withOrder((o) => (o.lines[1].sku = o.lines[0].sku)));
    expect(duplicate.issues).toEqual([{ path: 'lines[1].sku', code: 'custom', detail: 'unique_sku' }]);
    const control = rejected(withOrder((o) => (o.customer.name = 'Ada\tL')));
    expect(control.issues).toEqual([{ path: 'customer.name', code: 'invalid_format', detail: 'no_control_characters' }]);
  });

  it('never puts the offending values in the message or the issues (no PII)', () => {
    const secrets = {
      name: 'Grace Brewster Murray Hopper '.repeat(10),
      email: 'grace.hopper@navy.example',
      phone: '+1 202 555 0143',
      line1: '1 Secret Lane\u0007',
      country: 'Atlantis',
      extraValue: 'card 4242424242424242',
    };
    const error = rejected(
      withOrder((o) => {
        o.customer.name = secrets.name;
        o.customer.email = secrets.email.replace('@', ' at ');
        o.customer.phone = secrets.phone;
        o.customer.shippingAddress.line1 = secrets.line1;
        o.customer.shippingAddress.country = secrets.country;
        o.customer.note = secrets.extraValue;
        o.lines[0].quantity = -424242;
      }),
    );
    expect(error.issues).toHaveLength(7);
    const surfaces = [error.message, JSON.stringify(error.issues), String(error.stack)];
    for (const surface of surfaces) {
      for (const secret of [...Object.values(secrets), 'Grace', 'hopper', 'Secret', '4242', 'Atlantis']) {
        expect(surface).not.toContain(secret);
      }
    }
    expect(error.message).toContain('customer.name too_big (string maximum 200)');
    expect(error.message).toContain('customer unrecognized_keys (unknown key note)');
    expect(error.cause).toBeUndefined();
  });

  it('hides unknown keys that do not look like field names', () => {
    const error = rejected(withOrder((o) => (o['grace.hopper@navy.example'] = true)));
    expect(error.message).toContain('(root) unrecognized_keys (unknown key <key>)');
    expect(error.message).not.toContain('grace');
  });

  it('lists at most ten issues in the message', () => {
    const error = rejected(withOrder((o) => (o.lines = Array.from({ length: 12 }, (_, i) => ({ sku: `S${i}`, quantity: 0, unitPrice: 1 })))));
    // 12 too_small quantities, plus the zero total they add up to.
    expect(error.issues).toHaveLength(13);
    expect(error.message).toMatch(/; and 3 more$/);
  });
});

describe('safeParseOrder', () => {
  it('returns a discriminated result instead of throwing', () => {
    const ok = safeParseOrder(validOrder());
    expect(ok.ok && ok.order.orderId).toBe('ord_2026-0001');
    const bad = safeParseOrder(null);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.issues).toEqual([{ path: '(root)', code: 'invalid_type', detail: 'expected object' }]);
  });
});

describe('orderTotal', () => {
  it('sums quantity times unit price in minor units', () => {
    expect(orderTotal(validOrder())).toBe(2 * 1250 + 399);
    expect(orderTotal({ lines: [] })).toBe(0);
  });
});

describe('contract issue helpers', () => {
  it('work for any schema (e.g. a step input)', () => {
    const result = z.strictObject({ a: z.int().min(1) }).safeParse({ a: 0, b: 'x' });
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = contractIssues(result.error);
    expect(issues).toEqual([
      { path: 'a', code: 'too_small', detail: 'number minimum 1' },
      { path: '(root)', code: 'unrecognized_keys', detail: 'unknown key b' },
    ]);
    expect(formatContractIssues(issues)).toBe(
      'Invalid order: 2 issues: a too_small (number minimum 1); (root) unrecognized_keys (unknown key b)',
    );
    expect(InvalidOrderError.fromZodError(result.error).issues).toEqual(issues);
  });

  it('OrderSchema is usable directly with zod', () => {
    expect(OrderSchema.safeParse(validOrder()).success).toBe(true);
  });
});
