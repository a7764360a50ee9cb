import type { JsonValue } from '@saga/asl';
import { canonicalJson } from '../json.js';
import type { IntrinsicDefinition } from './spec.js';

/** States.ArrayUnique(array): duplicates (by JSON equality) removed, first occurrences kept in order. */
export const arrayUnique: IntrinsicDefinition = {
  name: 'States.ArrayUnique',
  args: [{ name: 'array', types: ['array'] }],
  evaluate([items]) {
    const seen = new Set<string>();
    const out: JsonValue[] = [];
    for (const item of items as JsonValue[]) {
      const key = item !== null && typeof item === 'object' ? canonicalJson(item) : `${typeof item}:${String(item)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
    return out;
  },
};
