import type { JsonValue } from '@saga/asl';
import type { IntrinsicDefinition } from './spec.js';

/** States.ArrayPartition(array, chunkSize): consecutive chunks; the last may be shorter. */
export const arrayPartition: IntrinsicDefinition = {
  name: 'States.ArrayPartition',
  args: [
    { name: 'array', types: ['array'] },
    { name: 'chunkSize', types: ['integer'] },
  ],
  evaluate([items, size], ctx) {
    const arr = items as JsonValue[];
    const n = size as number;
    if (n <= 0) ctx.fail(`the chunk size must be a positive integer, but was ${n}`);
    const out: JsonValue[] = [];
    for (let i = 0; i < arr.length; i += n) out.push(arr.slice(i, i + n));
    return out;
  },
};
