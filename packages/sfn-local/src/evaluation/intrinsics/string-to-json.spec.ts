import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.StringToJson', () => {
  it('States.StringToJson parses JSON text (AWS example)', () => {
    expect(run('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' })).toEqual({ foo: 'bar' });
    expect(run("States.StringToJson('{\"number\": 20}')")).toEqual({ number: 20 });
  });

  it('States.StringToJson parses scalars and arrays', () => {
    expect(run("States.StringToJson('[1,2]')")).toEqual([1, 2]);
    expect(run("States.StringToJson('null')")).toBeNull();
  });

  it('States.StringToJson rejects invalid JSON and non-strings', () => {
    expect(failure("States.StringToJson('{nope')").cause).toContain('not valid JSON');
    expect(failure('States.StringToJson(1)').name).toBe('States.IntrinsicFailure');
  });
});
