import type { IntrinsicDefinition } from './spec.js';
import { nodeCrypto } from '../../node-crypto.js';

export const MAX_HASH_INPUT = 10_000;

/** The algorithm names Step Functions accepts (case-sensitive) and node:crypto's names for them. */
export const HASH_ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** The lowercase hex digest of `data` (a string as is, any other value as its JSON text). */
export function hexDigest(data: unknown, nodeAlgorithm: string): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  return nodeCrypto().createHash(nodeAlgorithm).update(text, 'utf8').digest('hex');
}

/** States.Hash(data, algorithm): the hex digest; the data's text may hold at most 10,000 characters. */
export const hash: IntrinsicDefinition = {
  name: 'States.Hash',
  args: [
    { name: 'data', types: ['any'] },
    { name: 'algorithm', types: ['string'] },
  ],
  evaluate([data, algorithm], ctx) {
    const alg = HASH_ALGORITHMS[algorithm as string];
    if (alg === undefined) {
      ctx.fail(`the algorithm '${String(algorithm)}' is not supported; use one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    }
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    if (text.length > MAX_HASH_INPUT) ctx.fail(`the data has ${text.length} characters; at most ${MAX_HASH_INPUT} are allowed`);
    return hexDigest(text, alg);
  },
};
