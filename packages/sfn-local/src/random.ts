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

/** A v4-shaped UUID from a Random, so ids are reproducible under a seed (32 draws, one per hex digit). */
export function randomUuid(random: Random): string {
  // Written into one reused buffer and read out as one flat string: appending a character at a
  // time would leave a chain of ~25 cons strings behind every id (1.8 KB per execution held in
  // memory), and joining an array allocates the array.
  let at = 0;
  for (let i = 0; i < 32; i++) {
    const digit = Math.floor(random() * 16);
    // The version nibble is 4 and the variant nibble 8..b (the draws are still taken, so ids stay the same).
    const value = i === 12 ? 4 : i === 16 ? (digit & 0x3) | 0x8 : digit;
    if (i === 8 || i === 12 || i === 16 || i === 20) UUID[at++] = DASH;
    UUID[at++] = HEX[value]!;
  }
  return UUID.toString('latin1', 0, 36);
}

/** Character codes of the hex digits. */
export const HEX = Buffer.from('0123456789abcdef', 'latin1');
const DASH = 0x2d;
const UUID = Buffer.alloc(36);
