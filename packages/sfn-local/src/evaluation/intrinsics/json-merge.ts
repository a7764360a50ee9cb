import type { JsonValue } from '@saga/asl';
import type { IntrinsicDefinition } from './spec.js';

/**
 * States.JsonMerge(a, b, deep): the keys of both objects, `b` winning on conflicts. Step Functions
 * supports only the shallow merge, so `deep` must be `false`.
 */
export const jsonMerge: IntrinsicDefinition = {
  name: 'States.JsonMerge',
  args: [
    { name: 'json1', types: ['object'] },
    { name: 'json2', types: ['object'] },
    { name: 'deepMerge', types: ['boolean'] },
  ],
  evaluate([a, b, deep], ctx) {
    if (deep === true) ctx.fail('deep merging is not supported; the third argument must be false');
    return { ...(a as Record<string, JsonValue>), ...(b as Record<string, JsonValue>) };
  },
};
