import type jsonata from 'jsonata';
import { randomUuid, seededRandom, type Random } from '../random.js';
import { HASH_ALGORITHMS, hexDigest } from './intrinsics/hash.js';

/**
 * The functions Step Functions adds to JSONata: $partition, $range, $hash, $random (seedable),
 * $uuid and $parse. Behaviour AWS shows and its docs leave out: non-integer arguments are
 * truncated toward zero; a chunk size below 1, an empty array, a missing or wrongly signed
 * `$range` step and a missing `$hash` algorithm give undefined (which then fails the field as
 * "returned nothing"); a one-element `$range` is the bare number, as a JSONata sequence would be.
 */

/** The name under which each evaluation binds its Random (read back through the call's environment). */
export const RANDOM_BINDING = '__sfnLocalRandom';

/** Upper bound on `$range`, to keep a runaway expression from exhausting memory. */
export const MAX_RANGE_ITEMS = 1_000_000;

interface AwsFunction {
  name: string;
  signature: string;
  implementation: (this: jsonata.Focus, ...args: any[]) => unknown;
}

function randomOf(focus: jsonata.Focus): Random {
  const r = focus.environment.lookup(RANDOM_BINDING) as Random | undefined;
  return r ?? Math.random;
}

export const AWS_FUNCTIONS: readonly AwsFunction[] = [
  {
    name: 'partition',
    signature: '<an:a>',
    implementation(items: unknown[] | undefined, size: number | undefined) {
      if (items === undefined || size === undefined) return undefined;
      const n = Math.trunc(size);
      if (n < 1 || items.length === 0) return undefined;
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
      return out;
    },
  },
  {
    name: 'range',
    signature: '<nnn?:a<n>>',
    implementation(start: number | undefined, end: number | undefined, step: number | undefined) {
      if (start === undefined || end === undefined || step === undefined) return undefined;
      const [s, e, st] = [Math.trunc(start), Math.trunc(end), Math.trunc(step)];
      if (st === 0 || (st > 0 && s > e) || (st < 0 && s < e)) return undefined;
      const count = Math.floor(Math.abs(e - s) / Math.abs(st)) + 1;
      if (count > MAX_RANGE_ITEMS) throw new Error(`$range would produce ${count} numbers; at most ${MAX_RANGE_ITEMS} are allowed`);
      if (count === 1) return s;
      const out = new Array<number>(count);
      for (let i = 0; i < count; i++) out[i] = s + i * st;
      return out;
    },
  },
  {
    name: 'hash',
    signature: '<js?:s>',
    implementation(data: unknown, algorithm: string | undefined) {
      if (data === undefined || algorithm === undefined) return undefined;
      const alg = HASH_ALGORITHMS[algorithm];
      if (alg === undefined) {
        throw new Error(`$hash: the algorithm '${algorithm}' is not supported; use one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      }
      return hexDigest(data, alg);
    },
  },
  {
    name: 'random',
    signature: '<n?:n>',
    implementation(this: jsonata.Focus, seed: number | undefined) {
      return seed === undefined ? randomOf(this)() : seededRandom(Math.trunc(seed))();
    },
  },
  {
    name: 'uuid',
    signature: '<:s>',
    implementation(this: jsonata.Focus) {
      return randomUuid(randomOf(this));
    },
  },
  {
    name: 'parse',
    signature: '<s:x>',
    implementation(text: string | undefined) {
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new Error(`$parse: the argument is not valid JSON (${(e as Error).message})`);
      }
    },
  },
];
