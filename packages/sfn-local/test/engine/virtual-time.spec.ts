import { beforeEach, describe, expect, test } from 'vitest';
import { EAGER_JUMPS_PER_TURN } from '../../src/clock.js';
import { elapsedSeconds, fn, machine, namedError } from './support.js';

/** Counts event-loop turns from now until `stop()`. */
function countTurns() {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      running = false;
      return turns;
    },
  };
}

const retried = (attempts: number) => {
  let n = 0;
  return () => {
    if (++n <= attempts) throw namedError('CarrierRateLimited');
    return { booked: true };
  };
};

/** A Task retried 5 times on CarrierRateLimited: 2 + 4 + 8 + 16 + 32 s of backoff at most. */
const BOOK_WITH_RETRIES = {
  Type: 'Task',
  Resource: fn('book'),
  Retry: [{ ErrorEquals: ['CarrierRateLimited'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5 }],
} as const;

/**
 * Two lines of work in one execution: the slow one parks on 5 s at once, the fast one reaches its
 * 2 s a few states later. Were the slow one taken for the execution's only line of work, its 5 s
 * would elapse first.
 */
const SLOW_WAIT = { Type: 'Wait', Seconds: 5, End: true } as const;
const FAST_WAY = {
  First: { Type: 'Pass', Next: 'Second' },
  Second: { Type: 'Pass', Next: 'FastWait' },
  FastWait: { Type: 'Wait', Seconds: 2, End: true },
} as const;

function expectFastThenSlow(r: Awaited<ReturnType<ReturnType<typeof machine>['run']>>): void {
  expect(r.status).toBe('SUCCEEDED');
  const exits = r.history.filter((e) => e.type === 'WaitStateExited').map((e) => e.stateExitedEventDetails?.name);
  expect(exits).toEqual(['FastWait', 'SlowWait']);
  expect(elapsedSeconds(r.history)).toBe(5);
}

describe('virtual time: the clock jumps as soon as the execution has nothing else to do', () => {
  // Each test starts on a fresh event-loop turn, with the whole per-turn allowance of jumps.
  beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

  test('a lone line of work: retry backoffs and Waits elapse without waiting for the event loop', async () => {
    const m = machine(
      {
        StartAt: 'Book',
        States: {
          Book: { ...BOOK_WITH_RETRIES, Next: 'Settle' },
          Settle: { Type: 'Wait', Seconds: 3600, End: true },
        },
      },
      { book: retried(5) },
    );
    const turns = countTurns();
    const r = await m.run();
    expect(turns.stop()).toBe(0);
    expect(r.status).toBe('SUCCEEDED');
    expect(elapsedSeconds(r.history)).toBeGreaterThanOrEqual(3600);
  });

  test('inside a Parallel, branches sleep on the ordinary check: each wakes in the order of its timer', async () => {
    const m = machine({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'SlowWait', States: { SlowWait: SLOW_WAIT } },
            { StartAt: 'First', States: FAST_WAY },
          ],
          End: true,
        },
      },
    });
    expectFastThenSlow(await m.run());
  });

  test('inside a Map, iterations sleep on the ordinary check: each wakes in the order of its timer', async () => {
    const m = machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Slow?',
            States: {
              'Slow?': { Type: 'Choice', Choices: [{ Variable: '$.slow', BooleanEquals: true, Next: 'SlowWait' }], Default: 'First' },
              SlowWait: SLOW_WAIT,
              ...FAST_WAY,
            },
          },
          End: true,
        },
      },
    });
    expectFastThenSlow(await m.run([{ slow: true }, { slow: false }]));
  });

  test(`a machine looping through Waits still gives the event loop a turn every ${EAGER_JUMPS_PER_TURN} sleeps`, async () => {
    const loops = EAGER_JUMPS_PER_TURN * 3;
    const m = machine({
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Result: 0, ResultPath: '$.n', Next: 'Wait' },
        Wait: { Type: 'Wait', Seconds: 1, Next: 'Count' },
        Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Done?' },
        'Done?': { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: loops, Next: 'Wait' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    const turns = countTurns();
    const r = await m.run({});
    const taken = turns.stop();
    expect(taken).toBeGreaterThanOrEqual(2);
    expect(taken).toBeLessThan(loops / 8);
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { n: loops } });
    expect(elapsedSeconds(r.history)).toBe(loops);
  });

  test('a stop in the same job as the start aborts the execution before its first backoff elapses', async () => {
    const m = machine(
      {
        StartAt: 'Book',
        States: {
          Book: { ...BOOK_WITH_RETRIES, End: true },
        },
      },
      { book: retried(5) },
    );
    const exec = m.start({});
    exec.stop('Stopped', 'by the test');
    const r = await exec.done;
    expect(r).toMatchObject({ status: 'ABORTED', error: 'Stopped' });
    expect(m.calls.book).toBeLessThanOrEqual(1);
  });
});
