import { randomUuid } from '../../random.js';
import type { IntrinsicDefinition } from './spec.js';

/** States.UUID(): a version 4 UUID drawn from the scope's random source (reproducible under a seed). */
export const uuid: IntrinsicDefinition = {
  name: 'States.UUID',
  args: [],
  evaluate(_args, ctx) {
    return randomUuid(ctx.scope.random);
  },
};
