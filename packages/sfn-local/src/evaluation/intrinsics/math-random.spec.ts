import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.MathRandom', () => {
  it('States.MathRandom is within [start, end): start inclusive, end exclusive', () => {
    const s = scope();
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(evaluateIntrinsic('States.MathRandom(1, 4)', {}, s) as number);
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('States.MathRandom with a seed is deterministic', () => {
    const a = run('States.MathRandom($.start, $.end, 1234)', { start: 1, end: 999 });
    expect(run('States.MathRandom(1, 999, 1234)')).toBe(a);
    expect(evaluateIntrinsic('States.MathRandom(1, 999, 1234)', {}, scope({}, { random: Math.random }))).toBe(a);
    expect(a).toBeGreaterThanOrEqual(1);
    expect(a).toBeLessThan(999);
  });

  it('States.MathRandom without a seed draws from the scope random source', () => {
    expect(evaluateIntrinsic('States.MathRandom(0, 100)', {}, scope({}, { random: () => 0.5 }))).toBe(50);
  });

  it('States.MathRandom rounds non-integer arguments', () => {
    expect(evaluateIntrinsic('States.MathRandom(0.6, 1.6)', {}, scope({}, { random: () => 0.99 }))).toBe(1);
  });

  it('States.MathRandom rejects an end not above the start', () => {
    expect(failure('States.MathRandom(5, 5)').cause).toContain('must be greater than the start');
  });
});
