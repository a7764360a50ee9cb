import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.MathAdd', () => {
  it('States.MathAdd adds two integers (AWS example)', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
  });

  it('States.MathAdd rounds non-integer operands', () => {
    expect(run('States.MathAdd(1.4, 2.6)')).toBe(4);
  });

  it('States.MathAdd rejects operands and sums outside the 32-bit range', () => {
    expect(run('States.MathAdd(2147483646, 1)')).toBe(2147483647);
    expect(failure('States.MathAdd(2147483648, 0)').cause).toContain('outside the 32-bit integer range');
    expect(failure('States.MathAdd(2147483647, 1)').cause).toContain('the sum 2147483648');
  });

  it('States.MathAdd requires numbers', () => {
    expect(failure("States.MathAdd('1', 2)").name).toBe('States.IntrinsicFailure');
  });
});
