import type { IntrinsicDefinition } from './spec.js';

/**
 * States.StringSplit(text, delimiters): `text` split at every character of `delimiters`; empty
 * pieces are dropped (as Java's StringTokenizer does), so `"a,,b"` split on `","` is `["a","b"]`.
 */
export const stringSplit: IntrinsicDefinition = {
  name: 'States.StringSplit',
  args: [
    { name: 'inputString', types: ['string'] },
    { name: 'splitter', types: ['string'] },
  ],
  evaluate([text, delimiters]) {
    const delims = new Set(Array.from(delimiters as string));
    const out: string[] = [];
    let cur = '';
    for (const ch of text as string) {
      if (delims.has(ch)) {
        if (cur !== '') out.push(cur);
        cur = '';
      } else {
        cur += ch;
      }
    }
    if (cur !== '') out.push(cur);
    return out;
  },
};
