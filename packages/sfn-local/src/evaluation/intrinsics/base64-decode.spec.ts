import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.Base64Decode', () => {
  it('States.Base64Decode decodes to UTF-8 text (AWS example)', () => {
    expect(run('States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
  });

  it('States.Base64Decode accepts unpadded input', () => {
    expect(run("States.Base64Decode('w6k')")).toBe('é');
  });

  it('States.Base64Decode rejects text that is not Base64', () => {
    const e = failure("States.Base64Decode('not base64!')");
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('not valid Base64');
    expect(failure("States.Base64Decode('abcde')").name).toBe('States.IntrinsicFailure');
  });

  it('States.Base64Decode accepts at most 10,000 characters', () => {
    expect(failure('States.Base64Decode($.s)', { s: 'A'.repeat(10_004) }).cause).toContain('at most 10000');
  });
});
