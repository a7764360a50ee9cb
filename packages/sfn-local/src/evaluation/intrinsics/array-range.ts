import type { IntrinsicDefinition } from './spec.js';

export const MAX_ARRAY_RANGE = 1000;

/** States.ArrayRange(first, last, step): first, first+step, ... up to and including last; at most 1000 items. */
export const arrayRange: IntrinsicDefinition = {
  name: 'States.ArrayRange',
  args: [
    { name: 'first', types: ['integer'] },
    { name: 'last', types: ['integer'] },
    { name: 'step', types: ['integer'] },
  ],
  evaluate(args, ctx) {
    const [first, last, step] = args as [number, number, number];
    if (step === 0) ctx.fail('the step cannot be 0');
    const count = Math.max(0, Math.floor((last - first) / step) + 1);
    if (count > MAX_ARRAY_RANGE) {
      ctx.fail(`the range would hold ${count} elements; at most ${MAX_ARRAY_RANGE} are allowed`);
    }
    const out: number[] = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = first + i * step;
    return out;
  },
};
