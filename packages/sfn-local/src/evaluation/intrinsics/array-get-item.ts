import type { JsonValue } from '@saga/asl';
import type { IntrinsicDefinition } from './spec.js';

/** States.ArrayGetItem(array, index): the element at a zero-based index; out of range fails. */
export const arrayGetItem: IntrinsicDefinition = {
  name: 'States.ArrayGetItem',
  args: [
    { name: 'array', types: ['array'] },
    { name: 'index', types: ['integer'] },
  ],
  evaluate([items, index], ctx) {
    const arr = items as JsonValue[];
    const i = index as number;
    if (i < 0 || i >= arr.length) ctx.fail(`the index ${i} is out of bounds for an array of length ${arr.length}`);
    return arr[i]!;
  },
};
