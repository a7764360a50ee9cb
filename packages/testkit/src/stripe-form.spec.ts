import { describe, expect, it } from 'vitest';
import { canonicalParams, encodeStripeForm, parseStripeForm, StripeFormError } from './stripe-form.js';

describe('parseStripeForm', () => {
  it('decodes the bracket syntax the SDK sends', () => {
    expect(
      parseStripeForm('amount=4200&currency=eur&payment_method_types[0]=card&metadata[orderId]=ord_1&metadata[a%20b]=c%26d&confirm=true'),
    ).toEqual({
      amount: '4200',
      currency: 'eur',
      payment_method_types: ['card'],
      metadata: { orderId: 'ord_1', 'a b': 'c&d' },
      confirm: 'true',
    });
  });

  it('handles empty bodies, `[]` pushes, nesting, `+` as space and empty values', () => {
    expect(parseStripeForm('')).toEqual({});
    expect(parseStripeForm('expand[]=latest_charge&expand[]=customer')).toEqual({ expand: ['latest_charge', 'customer'] });
    expect(parseStripeForm('a[b][0][c]=1&a[b][1][c]=2')).toEqual({ a: { b: [{ c: '1' }, { c: '2' }] } });
    expect(parseStripeForm('description=two+words&metadata=')).toEqual({ description: 'two words', metadata: '' });
    expect(parseStripeForm('x[2]=a&x[0]=b')).toEqual({ x: { 2: 'a', 0: 'b' } });
  });

  it('rejects malformed keys, bad encodings and prototype keys', () => {
    expect(() => parseStripeForm('[a]=1')).toThrow(StripeFormError);
    expect(() => parseStripeForm('a[b=1')).toThrow(StripeFormError);
    expect(() => parseStripeForm('a=%E0%A4%A')).toThrow(StripeFormError);
    expect(() => parseStripeForm('a[__proto__][x]=1')).toThrow(StripeFormError);
    expect(() => parseStripeForm('a=1&a[b]=2')).toThrow(StripeFormError);
  });

  it('round-trips with encodeStripeForm; canonical form ignores key order', () => {
    const params = { amount: '1', metadata: { k: 'v w' }, list: ['x', 'y'] };
    expect(parseStripeForm(encodeStripeForm(params))).toEqual(params);
    expect(canonicalParams({ b: '1', a: { d: '2', c: '3' } })).toBe(canonicalParams({ a: { c: '3', d: '2' }, b: '1' }));
  });
});
