import type { IntrinsicDefinition } from './spec.js';

/** States.Array(...values): the values as an array, in order. */
export const array: IntrinsicDefinition = {
  name: 'States.Array',
  args: [],
  rest: { name: 'value', types: ['any'] },
  evaluate(args) {
    return args;
  },
};
