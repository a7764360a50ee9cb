import type { JsonValue } from '@saga/asl';

/**
 * Small JSON helpers shared by the evaluation layer. State data is treated as immutable: nothing
 * here mutates its arguments, and results may share structure with their inputs.
 */

export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Own-property test (never the prototype chain, so `constructor` or `__proto__` are plain keys). */
export function hasKey(o: object, key: string): boolean {
  return hasOwn.call(o, key);
}

/** The JSON type of a value as named in error messages. */
export function jsonTypeOf(v: unknown): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'undefined' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'undefined') return t;
  return 'object';
}

/** Structural equality of JSON values (object key order is irrelevant). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!hasOwn.call(b, k) || !jsonEquals(a[k]!, b[k]!)) return false;
  }
  return true;
}

/** Assigns an own enumerable property, even for the key `__proto__` (which `o[k] = v` would not). */
export function setKey(o: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** A key identifying a JSON value up to structural equality (object keys sorted). */
export function canonicalJson(v: JsonValue): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k]!)}`).join(',')}}`;
}

/** A deep copy of a JSON value. The evaluation layer itself never needs one (it never mutates). */
export function deepClone<T extends JsonValue>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => deepClone(x)) as T;
  const out: JsonObject = {};
  for (const k of Object.keys(v)) out[k] = deepClone((v as JsonObject)[k]!);
  return out as T;
}

/** Compact JSON text for error messages, cut to a readable length. */
export function preview(v: unknown, max = 256): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

const NOT_PLAIN = Symbol('not plain JSON data');

/**
 * Exactly `JSON.parse(JSON.stringify(value))` (`null` where that gives nothing): what a value looks
 * like after a JSON transport (a Lambda event or response). Plain data (objects, arrays, strings,
 * finite numbers, booleans, null) is copied directly, several times faster than the text round
 * trip, which was a large share of a Lambda task's cost; anything else (`toJSON`, class instances,
 * `undefined` members, non-finite numbers, very deep or cyclic data) takes the text round trip, so
 * results and errors are JSON's own.
 */
export function jsonRoundTrip(value: unknown): JsonValue {
  // A for-in walk (below) would also see enumerable properties added to Object.prototype, which
  // JSON ignores; where someone added one, the text round trip answers instead.
  const copy = prototypeHasEnumerables() ? NOT_PLAIN : plainCopy(value, 0);
  if (copy !== NOT_PLAIN) return copy;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as JsonValue);
}

const EMPTY = {};

function prototypeHasEnumerables(): boolean {
  for (const _ in EMPTY) return true;
  return false;
}

function plainCopy(v: unknown, depth: number): JsonValue | typeof NOT_PLAIN {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON writes -0 as 0 and NaN/Infinity as null (left to JSON itself).
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : NOT_PLAIN;
    case 'object': {
      if (v === null) return null;
      if (depth > 64) return NOT_PLAIN;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return NOT_PLAIN;
        const out = new Array<JsonValue>(v.length);
        for (let i = 0; i < v.length; i++) {
          const c = plainCopy(v[i], depth + 1);
          if (c === NOT_PLAIN) return NOT_PLAIN;
          out[i] = c;
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
      // Member by member into a new object: for-in visits the own string keys in JSON's order and
      // skips symbol keys, as JSON does. Spreading the object first (`{ ...v }`) was cheaper once
      // optimized, but a spread site that sees every shape of the saga's data goes megamorphic and
      // copies through the runtime, which cost more while the engine warms up.
      const out: JsonObject = {};
      for (const key in v as JsonObject) {
        let value: unknown = (v as JsonObject)[key];
        switch (typeof value) {
          case 'string':
          case 'boolean':
            break;
          case 'number':
            if (!Number.isFinite(value)) return NOT_PLAIN;
            if (value === 0) value = 0;
            break;
          case 'object': {
            if (value === null) break;
            value = plainCopy(value, depth + 1);
            if (value === NOT_PLAIN) return NOT_PLAIN;
            break;
          }
          default:
            return NOT_PLAIN;
        }
        if (key === '__proto__') setKey(out, key, value as JsonValue);
        else out[key] = value as JsonValue;
      }
      return out;
    }
    default:
      return NOT_PLAIN;
  }
}

/**
 * The deepest nesting of objects and arrays this engine accepts in an execution input or a task's
 * output: state data is copied and serialized recursively, and deeper data would overflow the stack.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * Whether a JSON value nests deeper than `max` levels of objects and arrays. The walk stops at
 * `max` levels, so a hostile value cannot overflow the stack while being checked; it allocates
 * nothing (it runs on every execution input).
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  return deeperThan(value, max);
}

/**
 * `remaining`: how many more levels of objects and arrays `v` may open. Members that are not
 * objects or arrays are passed over without a call: most of an input's members are leaves.
 */
function deeperThan(v: unknown, remaining: number): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (remaining <= 0) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item: unknown = v[i];
      if (typeof item === 'object' && item !== null && deeperThan(item, remaining - 1)) return true;
    }
    return false;
  }
  for (const key in v) {
    const member = (v as Record<string, unknown>)[key];
    if (typeof member === 'object' && member !== null && hasOwn.call(v, key) && deeperThan(member, remaining - 1)) return true;
  }
  return false;
}
