import { seededRandom } from '../../random.js';
import type { IntrinsicDefinition } from './spec.js';

/**
 * States.MathRandom(start, end[, seed]): an integer with start <= n < end. With a seed the result
 * is the first draw of the engine's seeded generator, so the same seed always gives the same value.
 */
export const mathRandom: IntrinsicDefinition = {
  name: 'States.MathRandom',
  args: [
    { name: 'start', types: ['integer'] },
    { name: 'end', types: ['integer'] },
    { name: 'seed', types: ['integer'] },
  ],
  required: 2,
  evaluate(args, ctx) {
    const [start, end, seed] = args as [number, number, number | undefined];
    if (end <= start) ctx.fail(`the end (${end}) must be greater than the start (${start})`);
    const random = seed === undefined ? ctx.scope.random : seededRandom(seed);
    return start + Math.floor(random() * (end - start));
  },
};
