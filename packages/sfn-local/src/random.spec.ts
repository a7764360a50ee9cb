import { describe, expect, it } from 'vitest';
import { randomUuid, seededRandom } from './random.js';

// Pinned values: histories, task tokens and execution names are reproducible from a seed only as
// long as the generator's sequence never changes (mulberry32).
describe('seededRandom', () => {
  it('gives the mulberry32 sequence of its seed', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('treats seeds as 32-bit: 2^32 - 1 and -1 are the same seed', () => {
    expect(seededRandom(2 ** 32 - 1)()).toBe(0.8964226141106337);
    expect(seededRandom(-1)()).toBe(0.8964226141106337);
  });

  it('draws values in [0, 1)', () => {
    const random = seededRandom(7919);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('randomUuid', () => {
  it('is a v4-shaped UUID, the same for the same seed', () => {
    expect(randomUuid(seededRandom(42))).toBe('99e1ef7c-72c3-4b8a-9a3b-32c0ab73b0ad');
    expect(randomUuid(seededRandom(42))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a new string each call, not a view of a reused buffer', () => {
    const random = seededRandom(3);
    const first = randomUuid(random);
    const copy = `${first}`;
    randomUuid(random);
    expect(first).toBe(copy);
  });
});
