import { describe, expect, test } from 'vitest';
import { fn, machine, namedError, types } from './support.js';

const retryDelays = (history: { type: string; retryDelayMs?: number }[]) =>
  history.filter((e) => e.retryDelayMs !== undefined).map((e) => e.retryDelayMs);

function flaky(errors: string[]) {
  let n = 0;
  return () => {
    const e = errors[n++];
    if (e) throw namedError(e);
    return { ok: true };
  };
}

describe('Retry', () => {
  test('MaxAttempts 3 means 1 + 3 attempts, then the error fails the state', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: fn('f'), Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 3 }], End: true } },
      },
      { f: flaky(['Boom', 'Boom', 'Boom', 'Boom', 'Boom']) },
    );
    const r = await m.run();
    expect(m.calls['f']).toBe(4);
    expect(r).toMatchObject({ status: 'FAILED', error: 'Boom' });
  });

  test('delays are IntervalSeconds x BackoffRate^(n-1), capped by MaxDelaySeconds', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('f'),
            Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 20 }],
            End: true,
          },
        },
      },
      { f: flaky(['Boom', 'Boom', 'Boom', 'Boom']) },
    );
    const r = await m.run();
    expect(r.status).toBe('SUCCEEDED');
    expect(retryDelays(r.history)).toEqual([2000, 6000, 18000, 20000]);
    const scheduled = r.history.filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.timestamp);
    expect(scheduled.slice(1).map((t, i) => t - scheduled[i]!)).toEqual([2000, 6000, 18000, 20000]);
  });

  test('MaxAttempts 0 never retries', async () => {
    const m = machine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }], End: true } } },
      { f: flaky(['Boom', 'Boom']) },
    );
    expect((await m.run()).status).toBe('FAILED');
    expect(m.calls['f']).toBe(1);
  });

  test('FULL jitter draws each delay from [0, capped delay], reproducibly for a seed', async () => {
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }],
          End: true,
        },
      },
    };
    const run = async (seed: number) => retryDelays((await machine(definition, { f: flaky(['Boom', 'Boom', 'Boom', 'Boom', 'Boom']) }, seed).run()).history);
    const a = await run(1);
    const caps = [10_000, 20_000, 40_000, 60_000, 60_000];
    a.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(caps[i]!);
    });
    expect(await run(1)).toEqual(a);
    expect(await run(2)).not.toEqual(a);
  });

  test('the first matching retrier applies and each retrier keeps its own counter (spec example)', async () => {
    // ErrorA, ErrorB, ErrorC, ErrorB: waits 1 s, 2 s, 5 s, then the first retrier is exhausted -> Catch.
    const m = machine(
      {
        StartAt: 'X',
        States: {
          X: {
            Type: 'Task',
            Resource: fn('f'),
            Retry: [
              { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2 },
              { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Z' }],
            End: true,
          },
          Z: { Type: 'Pass', End: true },
        },
      },
      { f: flaky(['ErrorA', 'ErrorB', 'ErrorC', 'ErrorB']) },
    );
    const r = await m.run();
    expect(retryDelays(r.history)).toEqual([1000, 2000, 5000]);
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { Error: 'ErrorB' } });
  });

  test('States.TaskFailed matches any error except States.Timeout', async () => {
    const definition = (timeout: boolean) => ({
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn(timeout ? 'slow' : 'f'),
          TimeoutSeconds: 1,
          Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 1 }],
          End: true,
        },
      },
    });
    const handlers = {
      f: flaky(['Boom']),
      slow: async (_: unknown, inv: { sleep(ms: number): Promise<void> }) => inv.sleep(5_000),
    };
    const ok = machine(definition(false), handlers);
    expect((await ok.run()).status).toBe('SUCCEEDED');
    const slow = machine(definition(true), handlers);
    expect(await slow.run()).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(slow.calls['slow']).toBe(1);
  });
});

describe('Catch', () => {
  test('with the default ResultPath $ the output is exactly the Error Output {Error, Cause}', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], End: true }, Done: { Type: 'Succeed' } },
      },
      { f: () => { throw namedError('PaymentDeclined', 'card declined'); } },
    );
    const r = await m.run({ order: 1 });
    expect(r.status).toBe('SUCCEEDED');
    const output = (r as unknown as { output: { Error: string; Cause: string } }).output;
    expect(output.Error).toBe('PaymentDeclined');
    expect(JSON.parse(output.Cause)).toMatchObject({ errorType: 'PaymentDeclined', errorMessage: 'card declined' });
    expect(Object.keys(output).sort()).toEqual(['Cause', 'Error']);
  });

  test('ResultPath puts the Error Output into the raw input', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['Boom'], ResultPath: '$.errorInfo', Next: 'Done' }], End: true },
          Done: { Type: 'Succeed' },
        },
      },
      { f: () => { throw namedError('Boom'); } },
    );
    const r = await m.run({ order: 1 });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { order: 1, errorInfo: { Error: 'Boom' } } });
  });

  test('catchers are scanned in order and the first match wins', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('f'),
            Catch: [
              { ErrorEquals: ['Other'], Next: 'Wrong' },
              { ErrorEquals: ['Boom'], Next: 'Right' },
              { ErrorEquals: ['States.ALL'], Next: 'Wrong' },
            ],
            End: true,
          },
          Right: { Type: 'Pass', Result: 'right', End: true },
          Wrong: { Type: 'Pass', Result: 'wrong', End: true },
        },
      },
      { f: () => { throw namedError('Boom'); } },
    );
    expect(await m.run()).toMatchObject({ output: 'right' });
  });

  test('States.Runtime is neither retried nor caught, not even by States.ALL', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('f'),
            InputPath: '$.missing.path',
            Retry: [{ ErrorEquals: ['States.ALL'] }],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            End: true,
          },
          Caught: { Type: 'Succeed' },
        },
      },
      { f: () => ({}) },
    );
    const r = await m.run({ a: 1 });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(m.calls['f']).toBeUndefined();
    expect(types(r.history)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ExecutionFailed']);
  });

  test('an unknown resource fails the task with a clear error, never silently', async () => {
    const m = machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun', End: true } } });
    const r = await m.run();
    expect(r).toMatchObject({ status: 'FAILED' });
    expect((r as { cause: string }).cause).toContain('arn:aws:states:::glue:startJobRun');
  });
});
