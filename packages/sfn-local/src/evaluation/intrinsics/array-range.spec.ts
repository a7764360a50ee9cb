import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayRange', () => {
  it('States.ArrayRange is inclusive (AWS example)', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(1, 8, 2)')).toEqual([1, 3, 5, 7]);
  });

  it('States.ArrayRange counts down with a negative step', () => {
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
  });

  it('States.ArrayRange rounds non-integer arguments', () => {
    expect(run('States.ArrayRange(0.6, 3.4, 1)')).toEqual([1, 2, 3]);
  });

  it('States.ArrayRange is empty when the step points away from the end', () => {
    expect(run('States.ArrayRange(5, 1, 1)')).toEqual([]);
  });

  it('States.ArrayRange is inclusive and rejects more than 1000 elements', () => {
    expect(run('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    const e = failure('States.ArrayRange(0, 1000, 1)');
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('1001 elements; at most 1000 are allowed');
  });

  it('States.ArrayRange rejects a zero step', () => {
    expect(failure('States.ArrayRange(1, 5, 0)').cause).toContain('step cannot be 0');
  });
});
