import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.Base64Encode', () => {
  it('States.Base64Encode encodes UTF-8 text (AWS example)', () => {
    expect(run('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Encode('é')")).toBe('w6k=');
  });

  it('States.Base64Encode accepts at most 10,000 characters', () => {
    expect(run('States.Base64Encode($.s)', { s: 'a'.repeat(10_000) })).toHaveLength(13_336);
    expect(failure('States.Base64Encode($.s)', { s: 'a'.repeat(10_001) }).cause).toContain('at most 10000');
  });

  it('States.Base64Encode requires a string', () => {
    expect(failure('States.Base64Encode(1)').name).toBe('States.IntrinsicFailure');
  });
});
