import type { JsonValue } from '@saga/asl';
import type { IntrinsicDefinition } from './spec.js';

/** States.ArrayLength(array): the number of elements. */
export const arrayLength: IntrinsicDefinition = {
  name: 'States.ArrayLength',
  args: [{ name: 'array', types: ['array'] }],
  evaluate([items]) {
    return (items as JsonValue[]).length;
  },
};
