import { describe, expect, test } from 'vitest';
import { fn, machine, namedError, types } from './support.js';

describe('Parallel', () => {
  test('runs every branch on the same input; the result is the array of outputs in branch order', async () => {
    const m = machine({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 10, Next: 'A' }, A: { Type: 'Pass', Result: 'a', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$.x', End: true } } },
          ],
          End: true,
        },
      },
    });
    const r = await m.run({ x: 1 });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: ['a', 1] });
    expect(types(r.history)).toContain('ParallelStateSucceeded');
  });

  test("a failing branch stops the others and the Parallel fails with that branch's own error", async () => {
    let stopped = false;
    const m = machine(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Hang', States: { Hang: { Type: 'Task', Resource: fn('hang'), End: true } } },
              { StartAt: 'Bad', States: { Bad: { Type: 'Fail', Error: 'BranchBroke', Cause: 'b' } } },
            ],
            Catch: [{ ErrorEquals: ['BranchBroke'], ResultPath: '$.err', Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Succeed' },
        },
      },
      {
        hang: (_e, inv) =>
          new Promise((_, reject) => inv.signal.addEventListener('abort', () => ((stopped = true), reject(new Error('x'))))),
      },
    );
    const r = await m.run({});
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { err: { Error: 'BranchBroke', Cause: 'b' } } });
    expect(stopped).toBe(true);
    expect(types(r.history)).toEqual(expect.arrayContaining(['TaskStateAborted', 'ParallelStateFailed']));
  });

  test('Retry on a Parallel re-runs every branch', async () => {
    let calls = 0;
    const m = machine(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('flaky'), End: true } } },
              { StartAt: 'Q', States: { Q: { Type: 'Pass', End: true } } },
            ],
            Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }],
            End: true,
          },
        },
      },
      { flaky: () => { if (++calls < 2) throw namedError('Boom'); return 'ok'; } },
    );
    const r = await m.run({});
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: ['ok', {}] });
    expect(types(r.history).filter((t) => t === 'ParallelStateStarted')).toHaveLength(2);
  });
});

describe('Map', () => {
  const mapOf = (extra: object) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'tag.$': '$.tag' },
        ItemProcessor: { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: fn('work'), End: true } } },
        ...extra,
        End: true,
      },
    },
  });

  test('one iteration per item, ItemSelector with $$.Map.Item, results in item order', async () => {
    const m = machine(mapOf({}), { work: (e) => e });
    const r = await m.run({ items: ['a', 'b', 'c'], tag: 't' });
    expect(r).toMatchObject({
      output: [
        { index: 0, value: 'a', tag: 't' },
        { index: 1, value: 'b', tag: 't' },
        { index: 2, value: 'c', tag: 't' },
      ],
    });
    expect(r.history.find((e) => e.type === 'MapStateStarted')).toMatchObject({ mapStateStartedEventDetails: { length: 3 } });
  });

  test('MaxConcurrency 1 runs the items one after another, in order', async () => {
    const order: string[] = [];
    const m = machine(mapOf({ MaxConcurrency: 1 }), {
      work: async (e, inv) => {
        order.push(`start ${(e as { value: string }).value}`);
        await inv.sleep(1000);
        order.push(`end ${(e as { value: string }).value}`);
        return e;
      },
    });
    await m.run({ items: ['a', 'b'], tag: 't' });
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  test("a failing iteration fails the Map with that iteration's error", async () => {
    const m = machine(mapOf({}), { work: (e) => { if ((e as { value: string }).value === 'b') throw namedError('BadItem'); return e; } });
    expect(await m.run({ items: ['a', 'b', 'c'], tag: 't' })).toMatchObject({ status: 'FAILED', error: 'BadItem' });
  });

  test('ToleratedFailureCount keeps failed items as Error Outputs; crossing it fails with States.ExceedToleratedFailureThreshold', async () => {
    const work = (e: unknown) => { if (String((e as { value: string }).value).startsWith('x')) throw namedError('BadItem'); return (e as { value: string }).value; };
    const ok = await machine(mapOf({ ToleratedFailureCount: 1 }), { work }).run({ items: ['a', 'x1', 'c'], tag: 't' });
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: ['a', { Error: 'BadItem' }, 'c'] });
    const over = await machine(mapOf({ ToleratedFailureCount: 1 }), { work }).run({ items: ['x1', 'x2', 'c'], tag: 't' });
    expect(over).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  test('an empty item list gives []', async () => {
    expect(await machine(mapOf({}), { work: (e) => e }).run({ items: [], tag: 't' })).toMatchObject({ output: [] });
  });
});
