import { describe, expect, test } from 'vitest';
import { fn, machine, namedError } from './support.js';

describe('execution history', () => {
  test('events have ids in order, previousEventId along the chain, and AWS detail members', async () => {
    const m = machine(
      {
        StartAt: 'Charge',
        States: {
          Charge: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: fn('charge'), 'Payload.$': '$' },
            TimeoutSeconds: 30,
            Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 3 }],
            End: true,
          },
        },
      },
      { charge: (() => { let n = 0; return () => { if (n++ === 0) throw namedError('Boom', 'first'); return { ok: 1 }; }; })() },
    );
    const r = await m.run({ order: 1 });
    expect(r.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'TaskStateEntered'],
      [3, 2, 'TaskScheduled'],
      [4, 3, 'TaskStarted'],
      [5, 4, 'TaskFailed'],
      [6, 5, 'TaskScheduled'],
      [7, 6, 'TaskStarted'],
      [8, 7, 'TaskSucceeded'],
      [9, 8, 'TaskStateExited'],
      [10, 9, 'ExecutionSucceeded'],
    ]);
    expect(r.history[2]).toMatchObject({
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke',
        region: 'us-east-1',
        parameters: JSON.stringify({ FunctionName: fn('charge'), Payload: { order: 1 } }),
        timeoutInSeconds: 30,
      },
    });
    expect(r.history[4]).toMatchObject({ taskFailedEventDetails: { resourceType: 'lambda', resource: 'invoke', error: 'Boom' } });
    expect(r.history[5]).toMatchObject({ retryDelayMs: 3000 });
    expect(r.history[5]!.timestamp - r.history[4]!.timestamp).toBe(3000);
    expect(r.history[0]).toMatchObject({ executionStartedEventDetails: { input: '{"order":1}' } });
  });

  test('the same seed gives the same history, event for event', async () => {
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 3, JitterStrategy: 'FULL' }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Pass', End: true },
      },
    };
    const failing = () => { throw namedError('Boom'); };
    const a = await machine(definition, { f: failing }, 42).run({}, { name: 'same' });
    const b = await machine(definition, { f: failing }, 42).run({}, { name: 'same' });
    const strip = (h: typeof a.history) => h.map(({ timestamp, ...e }) => ({ ...e, t: timestamp - h[0]!.timestamp }));
    expect(strip(b.history)).toEqual(strip(a.history));
  });
});
