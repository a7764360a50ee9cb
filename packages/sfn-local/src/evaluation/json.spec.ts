import { describe, expect, it } from 'vitest';
import { canonicalJson, deepClone, jsonEquals, jsonTypeOf, preview, setKey, type JsonObject } from './json.js';

describe('JSON helpers', () => {
  it('jsonEquals compares structurally, ignoring object key order', () => {
    expect(jsonEquals({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBe(true);
    expect(jsonEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEquals([1, 2], [2, 1])).toBe(false);
    expect(jsonEquals([], {})).toBe(false);
    expect(jsonEquals(1, '1')).toBe(false);
  });

  it('canonicalJson is equal exactly for structurally equal values', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2, d: 1 }], b: 1 }));
    expect(canonicalJson('1')).not.toBe(canonicalJson(1));
  });

  it('deepClone copies every object and array', () => {
    const v = { a: [{ b: 1 }] };
    const c = deepClone(v);
    expect(c).toEqual(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a[0]).not.toBe(v.a[0]);
  });

  it('setKey stores __proto__ as an own key, not as the prototype', () => {
    const o: JsonObject = {};
    setKey(o, '__proto__', { x: 1 });
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(JSON.stringify(o)).toBe('{"__proto__":{"x":1}}');
  });

  it('jsonTypeOf and preview describe values for error messages', () => {
    expect([null, [], {}, 's', 1, true, undefined].map(jsonTypeOf)).toEqual(['null', 'array', 'object', 'string', 'number', 'boolean', 'undefined']);
    expect(preview('x'.repeat(300), 10)).toBe(`"${'x'.repeat(9)}...`);
  });
});
