import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { applyInputPath, applyOutputPath, applyResultPath } from './input-output.js';
import { deepFreeze, scope, thrown } from './spec-fixtures.test.js';

const raw = deepFreeze({ order: { id: 'o-1', total: 42 }, items: [{ sku: 'A' }, { sku: 'B' }], note: 'n' }) as JsonValue;

describe('InputPath', () => {
  it('InputPath absent passes the input through', () => {
    expect(applyInputPath(raw, undefined, scope())).toBe(raw);
  });

  it('InputPath null gives {}', () => {
    expect(applyInputPath(raw, null, scope())).toEqual({});
  });

  it('InputPath selects part of the input', () => {
    expect(applyInputPath(raw, '$.order', scope())).toEqual({ id: 'o-1', total: 42 });
    expect(applyInputPath(raw, '$.items[*].sku', scope())).toEqual(['A', 'B']);
  });

  it('InputPath may read the context object and variables', () => {
    expect(applyInputPath(raw, '$$.Execution.Name', scope())).toBe('exec-1');
    expect(applyInputPath(raw, '$v', scope({ v: [1] }))).toEqual([1]);
  });

  it('InputPath on a missing path fails with States.Runtime', () => {
    const e = thrown(() => applyInputPath(raw, '$.nope.x', scope()));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("Invalid path '$.nope.x' : Missing property in path $['nope']");
  });
});

describe('OutputPath', () => {
  it('OutputPath absent passes the output through', () => {
    expect(applyOutputPath(raw, undefined, scope())).toBe(raw);
  });

  it('OutputPath null gives {}', () => {
    expect(applyOutputPath(raw, null, scope())).toEqual({});
  });

  it('OutputPath selects part of the output', () => {
    expect(applyOutputPath(raw, '$.order.id', scope())).toBe('o-1');
  });

  it('OutputPath on a missing path fails with States.Runtime', () => {
    expect(thrown(() => applyOutputPath(raw, '$.no.such.result.path', scope())).cause).toContain(
      "Invalid path '$.no.such.result.path' : Missing property in path $['no']",
    );
  });
});

describe('ResultPath', () => {
  const result = { charged: true };

  it('ResultPath absent replaces the input with the result', () => {
    expect(applyResultPath(raw, result, undefined, 'S')).toBe(result);
  });

  it("ResultPath '$' replaces the input with the result", () => {
    expect(applyResultPath(raw, result, '$', 'S')).toBe(result);
  });

  it('ResultPath null keeps the raw input', () => {
    expect(applyResultPath(raw, result, null, 'S')).toBe(raw);
  });

  it('ResultPath $.field adds the result to a copy of the raw input', () => {
    expect(applyResultPath(raw, result, '$.payment', 'S')).toEqual({ ...(raw as object), payment: { charged: true } });
  });

  it('ResultPath overwrites an existing field', () => {
    expect(applyResultPath(raw, 'x', '$.note', 'S')).toEqual({ ...(raw as object), note: 'x' });
  });

  it('ResultPath creates the intermediate objects it needs', () => {
    const out = applyResultPath({ a: 1 }, 7, '$.x.y.z', 'S');
    expect(out).toEqual({ a: 1, x: { y: { z: 7 } } });
  });

  it('ResultPath merges into an existing nested object, keeping its other fields', () => {
    expect(applyResultPath(raw, 'paid', '$.order.status', 'S')).toEqual({
      ...(raw as object),
      order: { id: 'o-1', total: 42, status: 'paid' },
    });
  });

  it('ResultPath never mutates the raw input and shares untouched parts', () => {
    // `raw` is deep-frozen: any write would throw.
    const out = applyResultPath(raw, 1, '$.order.x', 'S') as { items: unknown; order: unknown };
    expect(out.items).toBe((raw as { items: unknown }).items);
    expect(out.order).not.toBe((raw as { order: unknown }).order);
  });

  it('ResultPath with bracket notation and an existing array index', () => {
    expect(applyResultPath(raw, { sku: 'Z' }, "$['items'][1]", 'S')).toEqual({ ...(raw as object), items: [{ sku: 'A' }, { sku: 'Z' }] });
  });

  it('ResultPath on a non-object input fails with States.ResultPathMatchFailure', () => {
    const e = thrown(() => applyResultPath('hello', result, '$.x', 'S'));
    expect(e.name).toBe('States.ResultPathMatchFailure');
    expect(e.cause).toContain("Unable to apply ResultPath '$.x' to input \"hello\"");
  });

  it('ResultPath through a non-object intermediate fails with States.ResultPathMatchFailure', () => {
    const e = thrown(() => applyResultPath(raw, result, '$.note.x', 'S'));
    expect(e.name).toBe('States.ResultPathMatchFailure');
    expect(e.cause).toContain("'$['note']' is a string, not an object");
  });

  it('ResultPath to an array index out of range fails with States.ResultPathMatchFailure', () => {
    expect(thrown(() => applyResultPath(raw, 1, '$.items[5]', 'S')).name).toBe('States.ResultPathMatchFailure');
  });

  it('ResultPath may not reference the context object or a variable, nor use wildcards', () => {
    expect(thrown(() => applyResultPath(raw, 1, '$$.Execution', 'S')).name).toBe('States.Runtime');
    expect(thrown(() => applyResultPath(raw, 1, '$v.x', 'S')).name).toBe('States.Runtime');
    expect(thrown(() => applyResultPath(raw, 1, '$.items[*]', 'S')).name).toBe('States.Runtime');
  });
});
