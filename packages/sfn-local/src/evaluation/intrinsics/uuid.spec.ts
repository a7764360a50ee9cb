import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.UUID', () => {
  it('States.UUID returns a version 4 UUID', () => {
    expect(run('States.UUID()')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('States.UUID is reproducible under a seeded random source', () => {
    expect(run('States.UUID()')).toBe(run('States.UUID()'));
  });

  it('States.UUID takes no argument', () => {
    expect(failure("States.UUID('x')").name).toBe('States.IntrinsicFailure');
  });
});
