import type { IntrinsicDefinition } from './spec.js';
import { MAX_BASE64_INPUT } from './base64-encode.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** States.Base64Decode(base64): the UTF-8 text the Base64 encodes (at most 10,000 characters of input). */
export const base64Decode: IntrinsicDefinition = {
  name: 'States.Base64Decode',
  args: [{ name: 'base64', types: ['string'] }],
  evaluate([data], ctx) {
    const s = data as string;
    if (s.length > MAX_BASE64_INPUT) ctx.fail(`the input has ${s.length} characters; at most ${MAX_BASE64_INPUT} are allowed`);
    if (!BASE64.test(s)) ctx.fail('the argument is not valid Base64');
    return Buffer.from(s, 'base64').toString('utf8');
  },
};
