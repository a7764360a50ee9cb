import { describe, expect, it } from 'vitest';
import { ErrorInfoSchema, parseLambdaCause } from './index.js';

describe('ErrorInfoSchema', () => {
  it('parses what a Catch writes at $.errorInfo', () => {
    const info = { Error: 'CarrierResponseInvalid', Cause: '{"errorType":"CarrierResponseInvalid","errorMessage":"bad json"}' };
    expect(ErrorInfoSchema.parse(info)).toEqual(info);
  });

  it('allows a missing Cause but requires Error', () => {
    expect(ErrorInfoSchema.parse({ Error: 'States.Timeout' })).toEqual({ Error: 'States.Timeout' });
    expect(ErrorInfoSchema.safeParse({ Cause: 'x' }).success).toBe(false);
    expect(ErrorInfoSchema.safeParse({ Error: 'X', Cause: { errorMessage: 'not a string' } }).success).toBe(false);
  });
});

describe('parseLambdaCause', () => {
  it('extracts errorType, errorMessage and trace from a Lambda cause', () => {
    const cause = JSON.stringify({
      errorType: 'OutOfStock',
      errorMessage: 'sku BOOK-001: 0 available',
      trace: ['OutOfStock: sku BOOK-001: 0 available', '    at reserve (/var/task/index.mjs:10:11)'],
    });
    expect(parseLambdaCause(cause)).toEqual({
      errorType: 'OutOfStock',
      errorMessage: 'sku BOOK-001: 0 available',
      trace: ['OutOfStock: sku BOOK-001: 0 available', '    at reserve (/var/task/index.mjs:10:11)'],
    });
  });

  it('keeps the string fields and drops ill-typed ones', () => {
    expect(parseLambdaCause('{"errorMessage":"boom","errorType":42,"trace":"not-an-array"}')).toEqual({ errorMessage: 'boom' });
    expect(parseLambdaCause('{"errorType":"X","trace":[1,2]}')).toEqual({ errorType: 'X' });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['plain text', 'Task timed out after 30.00 seconds'],
    ['truncated JSON', '{"errorType":"X"'],
    ['a JSON array', '["errorType"]'],
    ['JSON null', 'null'],
    ['a JSON string', '"errorMessage"'],
    ['an object without the fields', '{"message":"x"}'],
  ])('returns undefined for %s, never throws', (_label, cause) => {
    expect(parseLambdaCause(cause)).toBeUndefined();
  });

  it('does not pick up prototype properties', () => {
    expect(parseLambdaCause('{"__proto__":{"errorType":"Injected"}}')).toBeUndefined();
  });
});
