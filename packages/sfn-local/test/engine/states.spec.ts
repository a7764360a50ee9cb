import { describe, expect, test } from 'vitest';
import { fn, machine, namedError, types, until } from './support.js';

describe('JSONPath input and output processing', () => {
  test('Pass: Result goes to ResultPath in the raw input, then OutputPath filters', async () => {
    const m = machine({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { b: 2 }, ResultPath: '$.r', OutputPath: '$.r', End: true } },
    });
    expect(await m.run({ a: 1 })).toMatchObject({ status: 'SUCCEEDED', output: { b: 2 } });
  });

  test('ResultPath null keeps the raw input; InputPath null gives {}; OutputPath null gives {}', async () => {
    const keep = machine({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, ResultPath: null, End: true } } });
    expect(await keep.run({ a: 1 })).toMatchObject({ output: { a: 1 } });
    const empty = machine({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: null, End: true } } });
    expect(await empty.run({ a: 1 })).toMatchObject({ output: {} });
    const none = machine({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: null, End: true } } });
    expect(await none.run({ a: 1 })).toMatchObject({ output: {} });
  });

  test('Task: InputPath -> Parameters -> result -> ResultSelector -> ResultPath -> OutputPath', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            InputPath: '$.order',
            Parameters: { FunctionName: fn('f'), 'Payload.$': '$', 'Payload2.$': '$$.Execution.Id' },
            ResultSelector: { 'value.$': '$.Payload.doubled', 'status.$': '$.StatusCode' },
            ResultPath: '$.result',
            OutputPath: '$.result',
            End: true,
          },
        },
      },
      { f: (e) => ({ doubled: (e as { n: number }).n * 2 }) },
    );
    expect(await m.run({ order: { n: 21 } })).toMatchObject({ output: { value: 42, status: 200 } });
  });

  test('a plain Lambda function ARN passes the effective input and returns the raw result', async () => {
    const m = machine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), End: true } } }, { f: (e) => ({ got: e }) });
    const r = await m.run({ x: 1 });
    expect(r).toMatchObject({ output: { got: { x: 1 } } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  test("@saga/asl's States.Format builder renders a template the engine evaluates", async () => {
    const { States } = await import('@saga/asl');
    const m = machine({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'msg.$': States.Format("it's order {}", '$.id') }, End: true } },
    });
    expect(await m.run({ id: 7 })).toMatchObject({ output: { msg: "it's order 7" } });
  });

  test('an intrinsic function in Parameters', async () => {
    const m = machine({
      StartAt: 'P',
      States: { P: { Type: 'Pass', Parameters: { 'msg.$': "States.Format('order {} of {}', $.id, $.who)" }, End: true } },
    });
    expect(await m.run({ id: 7, who: 'ann' })).toMatchObject({ output: { msg: 'order 7 of ann' } });
  });
});

describe('Choice', () => {
  const choice = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
          { And: [{ Variable: '$.s', IsPresent: true }, { Variable: '$.s', StringMatches: 'a*' }], Next: 'A' },
        ],
        Default: 'Other',
      },
      Big: { Type: 'Pass', Result: 'big', End: true },
      A: { Type: 'Pass', Result: 'a', End: true },
      Other: { Type: 'Pass', Result: 'other', End: true },
    },
  };

  test('the first matching rule wins, else Default', async () => {
    expect(await machine(choice).run({ n: 11, s: 'abc' })).toMatchObject({ output: 'big' });
    expect(await machine(choice).run({ n: 1, s: 'abc' })).toMatchObject({ output: 'a' });
    expect(await machine(choice).run({ n: 1 })).toMatchObject({ output: 'other' });
  });

  test('no match and no Default raises States.NoChoiceMatched', async () => {
    const m = machine({
      StartAt: 'C',
      States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } },
    });
    expect(await m.run({ n: 2 })).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });
});

describe('Wait', () => {
  test('a one-hour Wait runs in virtual time: the clock jumps, the history shows the hour', async () => {
    const m = machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    const r = await m.run();
    expect(r.status).toBe('SUCCEEDED');
    const exited = r.history.find((e) => e.type === 'WaitStateExited')!;
    const entered = r.history.find((e) => e.type === 'WaitStateEntered')!;
    expect(exited.timestamp - entered.timestamp).toBe(3_600_000);
  });

  test('TimestampPath waits until the timestamp; a value without a zone is States.Runtime', async () => {
    const ok = machine({ StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } });
    expect((await ok.run({ at: '2026-01-01T00:10:00Z' })).status).toBe('SUCCEEDED');
    const bad = machine({ StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } });
    expect(await bad.run({ at: '2026-01-01T00:10:00' })).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  test('SecondsPath with a negative value is States.Runtime', async () => {
    const m = machine({ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', End: true } } });
    expect(await m.run({ s: -1 })).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('Fail and Succeed', () => {
  test('Fail ends the execution with its Error and Cause (CausePath may be an intrinsic)', async () => {
    const m = machine({
      StartAt: 'F',
      States: { F: { Type: 'Fail', Error: 'OrderFulfillmentFailed', CausePath: 'States.JsonToString($.errorInfo)' } },
    });
    const r = await m.run({ errorInfo: { Error: 'OutOfStock' } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed', cause: '{"Error":"OutOfStock"}' });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  test('Succeed ends the execution with its (filtered) input', async () => {
    const m = machine({ StartAt: 'S', States: { S: { Type: 'Succeed', OutputPath: '$.keep' } } });
    expect(await m.run({ keep: 1, drop: 2 })).toMatchObject({ status: 'SUCCEEDED', output: 1 });
  });
});

describe('context object', () => {
  test('$$.Execution, $$.StateMachine, $$.State and the RetryCount of each attempt', async () => {
    const seen: unknown[] = [];
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: {
              FunctionName: fn('f'),
              Payload: {
                'exec.$': '$$.Execution.Id',
                'input.$': '$$.Execution.Input',
                'machine.$': '$$.StateMachine.Name',
                'state.$': '$$.State.Name',
                'retry.$': '$$.State.RetryCount',
              },
            },
            Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }],
            End: true,
          },
        },
      },
      {
        f: (e) => {
          seen.push(e);
          if (seen.length < 3) throw namedError('Boom');
          return {};
        },
      },
    );
    const exec = m.start({ a: 1 }, { name: 'exec-1' });
    await exec.done;
    expect(seen).toEqual([0, 1, 2].map((retry) => ({
      exec: exec.executionArn,
      input: { a: 1 },
      machine: 'LocalStateMachine',
      state: 'T',
      retry,
    })));
  });
});

describe('a burst of task results (fair turns)', () => {
  /** `n` executions of Charge → Ship, all held at Charge until `open()`. */
  async function gatedExecutions(n: number) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const m = machine(
      {
        StartAt: 'Charge',
        States: {
          Charge: { Type: 'Task', Resource: fn('charge'), ResultPath: '$.charge', Next: 'Ship' },
          Ship: { Type: 'Task', Resource: fn('ship'), ResultPath: '$.ship', End: true },
        },
      },
      {
        charge: async () => {
          await gate;
          return { ok: true };
        },
        ship: () => ({ shipped: true }),
      },
    );
    const executions = Array.from({ length: n }, (_, i) => m.start({ i }));
    await until(() => m.calls['charge'] === n, 'every execution at the gate');
    return { executions, open };
  }

  test('executions released together finish oldest first, in slices that leave the event loop free between them', async () => {
    const N = 700;
    const { executions, open } = await gatedExecutions(N);
    const finished: number[] = [];
    const runs = executions.map((e, i) => e.done.then((o) => (o.status === 'SUCCEEDED' ? finished.push(i) : undefined)));
    open();
    let finishedAtFirstTurn = -1;
    setImmediate(() => (finishedAtFirstTurn = finished.length));
    await Promise.all(runs);
    expect(finished).toHaveLength(N);
    expect(finished).toEqual([...finished].sort((a, b) => a - b));
    // Without turns all 700 would have run to the end before the event loop's next turn.
    expect(finishedAtFirstTurn).toBeGreaterThanOrEqual(0);
    expect(finishedAtFirstTurn).toBeLessThan(N);
  });

  test('a stop while an execution waits for its turn aborts it there', async () => {
    const { executions, open } = await gatedExecutions(400);
    open();
    await Promise.resolve();
    const last = executions.at(-1)!;
    last.stop('Stopped', 'while queued');
    const outcome = await last.done;
    expect(outcome.status).toBe('ABORTED');
    expect(types(outcome.history)).toContain('TaskStateAborted');
    expect(types(outcome.history)).not.toContain('TaskStateExited');
    const others = await Promise.all(executions.slice(0, -1).map((e) => e.done));
    expect(others.every((o) => o.status === 'SUCCEEDED')).toBe(true);
  });
});
