import { describe, expect, it } from 'vitest';
import { jsonRoundTrip, nestsDeeperThan } from './json.js';

/** jsonRoundTrip must be indistinguishable from JSON.parse(JSON.stringify(v)). */
const viaText = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? null : JSON.parse(text);
};

class Money {
  constructor(readonly amount: number) {}
}

const cases: Array<[string, unknown]> = [
  ['plain nested data', { a: 1, b: 'x', c: [true, null, { d: -2.5 }], e: {} }],
  ['integer-like keys keep JSON order', { b: 1, 2: 'two', a: 3, 1: 'one' }],
  ['-0 becomes 0', { z: -0, list: [-0] }],
  ['non-finite numbers become null', { n: NaN, i: Infinity, list: [-Infinity] }],
  ['undefined members are dropped, undefined items become null', { u: undefined, list: [undefined, () => 1, Symbol('s')] }],
  ['functions and symbols as members are dropped', { f: () => 1, s: Symbol('s'), keep: 1 }],
  ['Dates go through toJSON', { at: new Date(Date.UTC(2026, 0, 2)) }],
  ['objects with toJSON', { v: { toJSON: () => ({ replaced: true }) } }],
  ['class instances keep own enumerable fields', { m: new Money(5) }],
  ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
  ['__proto__ stays an own key', JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')],
  ['sparse arrays', [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['a top-level undefined', undefined],
  ['a top-level string', 'text'],
  ['Map and Set become {}', { m: new Map([[1, 2]]), s: new Set([1]) }],
  ['symbol-keyed members are dropped', { [Symbol('k')]: 1, keep: 2, inner: { [Symbol.iterator]: 3, x: 1 } }],
  ['getters are read, non-enumerable members dropped', Object.defineProperties({}, { g: { get: () => 7, enumerable: true }, hidden: { value: 1 } })],
  ['deep nesting beyond the fast path', JSON.parse('['.repeat(100) + '1' + ']'.repeat(100))],
];

describe('jsonRoundTrip equals a JSON text round trip', () => {
  for (const [name, value] of cases) {
    it(name, () => {
      const copy = jsonRoundTrip(value);
      expect(copy).toStrictEqual(viaText(value));
      expect(JSON.stringify(copy)).toBe(JSON.stringify(viaText(value)));
    });
  }

  it('returns a copy: mutating it leaves the original alone', () => {
    const original = { list: [{ x: 1 }] };
    const copy = jsonRoundTrip(original) as { list: Array<{ x: number }> };
    copy.list[0]!.x = 2;
    expect(original.list[0]!.x).toBe(1);
  });

  it('a __proto__ key never changes the copy’s prototype', () => {
    const copy = jsonRoundTrip(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('throws as JSON does on cycles and BigInt', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => jsonRoundTrip(cyclic)).toThrow(TypeError);
    expect(() => jsonRoundTrip({ big: 1n })).toThrow(TypeError);
  });
});

describe('nestsDeeperThan', () => {
  const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
  it('counts levels of objects and arrays; scalars have none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 2)).toBe(true);
  });
  it('checks 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(100_000), 256)).toBe(true);
    expect(nestsDeeperThan(nested(256), 256)).toBe(false);
  });
});
