import type { JsonValue } from '../definition/json.js';

/**
 * A deep copy of `value` as plain JSON data: `undefined` fields dropped (so optional props can
 * be passed through as `undefined`), symbol keys and functions ignored. Throws on values JSON
 * cannot carry, so a definition never serialises differently from what was built.
 */
export function toPlainJson(value: unknown, path = '$'): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => toPlainJson(item, `${path}[${i}]`));
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      out[key] = toPlainJson(child, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path}: a ${typeof value} is not JSON`);
}
