import type { IntrinsicDefinition } from './spec.js';

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/** States.MathAdd(a, b): the sum; operands and result must be 32-bit signed integers. */
export const mathAdd: IntrinsicDefinition = {
  name: 'States.MathAdd',
  args: [
    { name: 'value1', types: ['integer'] },
    { name: 'value2', types: ['integer'] },
  ],
  evaluate(args, ctx) {
    const [a, b] = args as [number, number];
    for (const v of [a, b]) {
      if (v < INT_MIN || v > INT_MAX) ctx.fail(`${v} is outside the 32-bit integer range [${INT_MIN}, ${INT_MAX}]`);
    }
    const sum = a + b;
    if (sum < INT_MIN || sum > INT_MAX) ctx.fail(`the sum ${sum} is outside the 32-bit integer range [${INT_MIN}, ${INT_MAX}]`);
    return sum;
  },
};
