import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.Hash', () => {
  it('States.Hash computes SHA-1 as hex (AWS example)', () => {
    expect(run('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' })).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
  });

  it('States.Hash supports MD5, SHA-256, SHA-384 and SHA-512', () => {
    expect(run("States.Hash('input data', 'MD5')")).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(run("States.Hash('input data', 'SHA-256')")).toBe('b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3');
    expect(run("States.Hash('input data', 'SHA-384')")).toBe(
      'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562',
    );
    expect(run("States.Hash('input data', 'SHA-512')")).toBe(
      '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4',
    );
  });

  it('States.Hash hashes a non-string value as its JSON text', () => {
    expect(run("States.Hash($.o, 'MD5')", { o: { a: 1 } })).toBe(run("States.Hash('{\"a\":1}', 'MD5')"));
  });

  it('States.Hash rejects unknown algorithms (names are case-sensitive)', () => {
    const e = failure("States.Hash('x', 'sha-256')");
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain("algorithm 'sha-256' is not supported");
  });

  it('States.Hash accepts at most 10,000 characters of data', () => {
    expect(failure("States.Hash($.s, 'MD5')", { s: 'a'.repeat(10_001) }).cause).toContain('at most 10000');
  });
});
