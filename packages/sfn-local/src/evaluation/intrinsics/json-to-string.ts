import type { IntrinsicDefinition } from './spec.js';

/** States.JsonToString(path): the compact JSON text of the value at a path. */
export const jsonToString: IntrinsicDefinition = {
  name: 'States.JsonToString',
  args: [{ name: 'value', types: ['any'], notLiteral: true }],
  evaluate([value]) {
    return JSON.stringify(value);
  },
};
