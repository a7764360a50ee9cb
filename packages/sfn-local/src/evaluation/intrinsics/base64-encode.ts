import type { IntrinsicDefinition } from './spec.js';

export const MAX_BASE64_INPUT = 10_000;

/** States.Base64Encode(text): the Base64 of the UTF-8 bytes of `text` (at most 10,000 characters). */
export const base64Encode: IntrinsicDefinition = {
  name: 'States.Base64Encode',
  args: [{ name: 'data', types: ['string'] }],
  evaluate([data], ctx) {
    const s = data as string;
    if (s.length > MAX_BASE64_INPUT) ctx.fail(`the input has ${s.length} characters; at most ${MAX_BASE64_INPUT} are allowed`);
    return Buffer.from(s, 'utf8').toString('base64');
  },
};
