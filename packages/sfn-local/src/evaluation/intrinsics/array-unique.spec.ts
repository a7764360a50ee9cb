import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayUnique', () => {
  it('States.ArrayUnique removes duplicates keeping first-seen order (AWS example)', () => {
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run('States.ArrayUnique($.a)', { a: [3, 1, 3, 2, 1] })).toEqual([3, 1, 2]);
  });

  it('States.ArrayUnique compares objects by value, whatever their key order', () => {
    expect(run('States.ArrayUnique($.a)', { a: [{ x: 1, y: 2 }, { y: 2, x: 1 }, { x: 2 }] })).toEqual([{ x: 1, y: 2 }, { x: 2 }]);
  });

  it('States.ArrayUnique keeps values of different types apart', () => {
    expect(run('States.ArrayUnique($.a)', { a: [1, '1', null, 'null', true, 'true'] })).toEqual([1, '1', null, 'null', true, 'true']);
  });

  it('States.ArrayUnique requires an array', () => {
    expect(failure('States.ArrayUnique($.a)', { a: { x: 1 } }).name).toBe('States.IntrinsicFailure');
  });
});
