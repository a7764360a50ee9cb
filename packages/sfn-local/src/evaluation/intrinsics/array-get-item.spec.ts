import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayGetItem', () => {
  it('States.ArrayGetItem returns the element at a zero-based index (AWS example)', () => {
    expect(run('States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 })).toBe(6);
  });

  it('States.ArrayGetItem fails on an index out of range (either side)', () => {
    const e = failure('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] });
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('index 3 is out of bounds for an array of length 3');
    expect(failure('States.ArrayGetItem($.a, -1)', { a: [1] }).name).toBe('States.IntrinsicFailure');
  });

  it('States.ArrayGetItem requires an array and a number', () => {
    expect(failure("States.ArrayGetItem($.a, 'x')", { a: [1] }).name).toBe('States.IntrinsicFailure');
    expect(failure('States.ArrayGetItem($.a, 0)', { a: {} }).name).toBe('States.IntrinsicFailure');
  });
});
