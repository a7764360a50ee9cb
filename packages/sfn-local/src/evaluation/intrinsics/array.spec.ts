import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());

describe('States.Array', () => {
  it('States.Array builds an array of its arguments in order (AWS example)', () => {
    expect(run('States.Array($.Id)', { Id: 123456 })).toEqual([123456]);
    expect(run("States.Array('a', 1, $.o)", { o: { x: 1 } })).toEqual(['a', 1, { x: 1 }]);
  });

  it('States.Array takes zero arguments', () => {
    expect(run('States.Array()')).toEqual([]);
  });
});
