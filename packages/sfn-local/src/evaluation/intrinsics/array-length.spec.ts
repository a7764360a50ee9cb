import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayLength', () => {
  it('States.ArrayLength counts the elements (AWS example)', () => {
    expect(run('States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
    expect(run('States.ArrayLength($.a)', { a: [] })).toBe(0);
  });

  it('States.ArrayLength requires an array', () => {
    expect(failure('States.ArrayLength($.s)', { s: 'abc' }).cause).toContain("must be an array, but was string");
  });
});
