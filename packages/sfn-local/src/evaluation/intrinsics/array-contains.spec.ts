import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.ArrayContains', () => {
  it('States.ArrayContains finds a value (AWS example)', () => {
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 })).toBe(true);
  });

  it('States.ArrayContains compares objects and arrays by value', () => {
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: [1, { y: 2 }] }], v: { x: [1, { y: 2 }] } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: 1 }], v: { x: 2 } })).toBe(false);
  });

  it('States.ArrayContains does not equate values of different types', () => {
    expect(run("States.ArrayContains($.a, '1')", { a: [1] })).toBe(false);
  });

  it('States.ArrayContains requires an array', () => {
    expect(failure('States.ArrayContains($.a, 1)', { a: 'x' }).name).toBe('States.IntrinsicFailure');
  });
});
