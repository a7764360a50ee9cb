import type { JsonValue } from '@saga/asl';
import { jsonEquals } from '../json.js';
import type { IntrinsicDefinition } from './spec.js';

/** States.ArrayContains(array, value): whether the array holds a value equal to `value`. */
export const arrayContains: IntrinsicDefinition = {
  name: 'States.ArrayContains',
  args: [
    { name: 'array', types: ['array'] },
    { name: 'value', types: ['any'] },
  ],
  evaluate([items, value]) {
    return (items as JsonValue[]).some((item) => jsonEquals(item, value!));
  },
};
