/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same jitter, the same
 * task tokens and the same history. Returns floats in [0, 1).
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  // The state is kept as a signed 32-bit integer (`| 0`), which V8 stores unboxed; as an unsigned
  // one (`>>> 0`) half the values need a heap number per draw. Same bits, same sequence.
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A v4-shaped UUID from a Random, so ids are reproducible under a seed: four draws of 32 bits
 * (a Random's float is a whole multiple of 2^-32), version and variant bits as RFC 9562 sets them.
 */
export function randomUuid(random: Random): string {
  // Written into one reused buffer (its dashes in place) and read out as one flat string:
  // appending a character at a time would leave a chain of ~25 cons strings behind every id, and
  // joining an array allocates the array. One draw per hex digit, as ids were once made, cost 8 times
  // the draws, paid by every execution started without a name.
  for (let word = 0; word < 4; word++) {
    let bits = Math.floor(random() * 4294967296) | 0;
    if (word === 1) bits = (bits & ~0xf000) | 0x4000; // the version digit: 4
    if (word === 2) bits = (bits & 0x3fffffff) | 0x80000000; // the variant digit: 8, 9, a or b
    for (let digit = word * 8 + 7; digit >= word * 8; digit--) {
      UUID[DIGIT_AT[digit]!] = HEX[bits & 0xf]!;
      bits >>>= 4;
    }
  }
  return UUID.toString('latin1', 0, 36);
}

/** Character codes of the hex digits. */
export const HEX = Buffer.from('0123456789abcdef', 'latin1');
const UUID = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
/** Where each of the 32 hex digits goes in `UUID` (after the dashes before it). */
const DIGIT_AT = Uint8Array.from({ length: 32 }, (_, i) => i + (i >= 8 ? 1 : 0) + (i >= 12 ? 1 : 0) + (i >= 16 ? 1 : 0) + (i >= 20 ? 1 : 0));
