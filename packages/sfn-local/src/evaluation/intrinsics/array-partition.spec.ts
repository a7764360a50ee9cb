import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayPartition', () => {
  it('States.ArrayPartition splits into chunks, the last shorter (AWS example)', () => {
    expect(run('States.ArrayPartition($.inputArray, 4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });

  it('States.ArrayPartition rounds a non-integer chunk size', () => {
    expect(run('States.ArrayPartition($.a, 1.6)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
  });

  it('States.ArrayPartition of an empty array is empty', () => {
    expect(run('States.ArrayPartition($.a, 2)', { a: [] })).toEqual([]);
  });

  it('States.ArrayPartition rejects a chunk size below 1 and a non-array', () => {
    expect(failure('States.ArrayPartition($.a, 0)', { a: [1] }).cause).toContain('positive integer');
    expect(failure('States.ArrayPartition($.a, -2)', { a: [1] }).name).toBe('States.IntrinsicFailure');
    expect(failure("States.ArrayPartition('abc', 2)").name).toBe('States.IntrinsicFailure');
  });
});
