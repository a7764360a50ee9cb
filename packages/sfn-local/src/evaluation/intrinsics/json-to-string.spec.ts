import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.JsonToString', () => {
  it('States.JsonToString writes compact JSON (AWS example)', () => {
    expect(run('States.JsonToString($.unescapedJson)', { unescapedJson: { name: 'Foo', year: 2020 } })).toBe('{"name":"Foo","year":2020}');
  });

  it('States.JsonToString quotes strings and accepts a nested call', () => {
    expect(run('States.JsonToString($.s)', { s: 'x' })).toBe('"x"');
    expect(run('States.JsonToString(States.Array(1, 2))')).toBe('[1,2]');
  });

  it('States.JsonToString requires a path, not a literal', () => {
    const e = failure("States.JsonToString('x')");
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('must be a path');
  });
});
