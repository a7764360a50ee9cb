import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.JsonMerge', () => {
  it('States.JsonMerge merges shallowly, the second object winning (AWS example)', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };
    expect(run('States.JsonMerge($.json1, $.json2, false)', input)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });

  it('States.JsonMerge rejects deep merging (third argument true)', () => {
    const e = failure('States.JsonMerge($.a, $.b, true)', { a: {}, b: {} });
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('deep merging is not supported');
  });

  it('States.JsonMerge requires two objects and a boolean', () => {
    expect(failure('States.JsonMerge($.a, $.b, false)', { a: [], b: {} }).name).toBe('States.IntrinsicFailure');
    expect(failure("States.JsonMerge($.a, $.b, 'false')", { a: {}, b: {} }).name).toBe('States.IntrinsicFailure');
    expect(failure('States.JsonMerge($.a, $.b)', { a: {}, b: {} }).name).toBe('States.IntrinsicFailure');
  });
});
