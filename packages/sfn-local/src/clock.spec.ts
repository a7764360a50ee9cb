import { describe, expect, test } from 'vitest';
import { createVirtualClock, EAGER_JUMPS_PER_TURN } from './clock.js';

const microtasks = async (n = 5) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('virtual clock', () => {
  test('an ordinary timer fires after the event loop turns, at its due time', async () => {
    const clock = createVirtualClock(1_000);
    const fired: number[] = [];
    clock.schedule(500, () => fired.push(clock.now()));
    await microtasks();
    expect(fired).toEqual([]);
    await nextTurn();
    expect(fired).toEqual([1_500]);
  });

  test('a parked timer fires within the current job, without waiting for the event loop', async () => {
    const clock = createVirtualClock(0);
    const fired: number[] = [];
    clock.schedule(2_000, () => fired.push(clock.now()), true);
    expect(fired).toEqual([]);
    await microtasks(1);
    expect(fired).toEqual([2_000]);
  });

  test('an earlier timer than the parked one fires first', async () => {
    const clock = createVirtualClock(0);
    const fired: string[] = [];
    clock.schedule(100, () => fired.push(`timeout@${clock.now()}`));
    clock.schedule(2_000, () => fired.push(`parked@${clock.now()}`), true);
    await microtasks(1);
    expect(fired).toEqual(['timeout@100']);
    await nextTurn();
    expect(fired).toEqual(['timeout@100', 'parked@2000']);
  });

  test('real work that starts before the parked check holds time still until it is released', async () => {
    const clock = createVirtualClock(0);
    const fired: number[] = [];
    clock.schedule(2_000, () => fired.push(clock.now()), true);
    clock.acquire();
    await microtasks();
    await nextTurn();
    expect(fired).toEqual([]);
    clock.release();
    await nextTurn();
    expect(fired).toEqual([2_000]);
  });

  test('a parked timer cancelled before its check does not fire, and time stays put', async () => {
    const clock = createVirtualClock(0);
    const fired: number[] = [];
    const cancel = clock.schedule(2_000, () => fired.push(clock.now()), true);
    cancel();
    await microtasks();
    await nextTurn();
    expect(fired).toEqual([]);
    expect(clock.now()).toBe(0);
  });

  test('past EAGER_JUMPS_PER_TURN parked timers in one turn, the rest wait for the event loop', async () => {
    await nextTurn(); // a fresh turn: the jumps earlier tests took are given back
    const clocks = Array.from({ length: EAGER_JUMPS_PER_TURN + 3 }, () => createVirtualClock(0));
    let fired = 0;
    for (const clock of clocks) clock.schedule(1_000, () => fired++, true);
    await microtasks(2);
    expect(fired).toBe(EAGER_JUMPS_PER_TURN);
    await nextTurn();
    await nextTurn();
    expect(fired).toBe(EAGER_JUMPS_PER_TURN + 3);
  });
});
