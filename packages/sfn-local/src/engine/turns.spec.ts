import { describe, expect, test } from 'vitest';
import { continuationOrder, CONTINUATIONS_PER_TURN, nextTurn, waitingForTurn } from './turns.js';

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('fair turns', () => {
  test('below the per-turn limit a continuation never waits', async () => {
    await nextMacrotask(); // a fresh turn
    for (let i = 0; i < CONTINUATIONS_PER_TURN; i++) expect(nextTurn(continuationOrder())).toBeUndefined();
    expect(waitingForTurn()).toBe(0);
  });

  test('past the limit the rest wait for later turns, oldest execution first, whatever order they asked in', async () => {
    await nextMacrotask();
    const orders = Array.from({ length: CONTINUATIONS_PER_TURN + 40 }, () => continuationOrder());
    const granted: number[] = [];
    const asked = [...orders].reverse(); // the newest asks first
    const waits = asked.map((order) => {
      const turn = nextTurn(order);
      return turn ? turn.then(() => granted.push(order)) : (granted.push(order), undefined);
    });
    expect(waits.filter((w) => w === undefined)).toHaveLength(CONTINUATIONS_PER_TURN);
    expect(waitingForTurn()).toBe(40);
    await Promise.all(waits);
    // The 40 that waited are the 40 oldest of those that came too late (all of them here), in age order.
    const late = granted.slice(CONTINUATIONS_PER_TURN);
    expect(late).toEqual([...late].sort((a, b) => a - b));
    expect(waitingForTurn()).toBe(0);
  });

  test('a turn grants at most the limit: a burst is worked off over several event-loop turns', async () => {
    await nextMacrotask();
    const burst = 3 * CONTINUATIONS_PER_TURN + 10;
    let done = 0;
    const waits = Array.from({ length: burst }, () => {
      const turn = nextTurn(continuationOrder());
      return turn ? turn.then(() => done++) : done++;
    });
    const seen: number[] = [];
    for (let i = 0; i < 4 && done < burst; i++) {
      await nextMacrotask();
      seen.push(done);
    }
    await Promise.all(waits);
    expect(done).toBe(burst);
    // Progress came in slices, never all at once.
    expect(seen[0]).toBeLessThan(burst);
    expect(seen.every((n) => n % CONTINUATIONS_PER_TURN === 0 || n === burst)).toBe(true);
  });
});
