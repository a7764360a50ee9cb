import { describe, expect, test } from 'vitest';
import { CallbackApiError } from '../../src/engine/callbacks.js';
import { fn, machine, QUEUE, types, until } from './support.js';

const reviewTask = (extra: object = {}) => ({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: QUEUE, MessageBody: { 'token.$': '$$.Task.Token', 'order.$': '$.order' } },
      ResultPath: '$.review',
      ...extra,
      End: true,
    },
  },
});

describe('Task TimeoutSeconds', () => {
  test('work that outlasts TimeoutSeconds fails with States.Timeout and is cancelled', async () => {
    let aborted = false;
    const m = machine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 5, End: true } } },
      {
        slow: async (_e, inv) => {
          inv.signal.addEventListener('abort', () => (aborted = true));
          await inv.sleep(60_000);
          return 'too late';
        },
      },
    );
    const r = await m.run();
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(aborted).toBe(true);
    expect(types(r.history)).toContain('LambdaFunctionTimedOut');
  });

  test('TimeoutSecondsPath reads the timeout from the input', async () => {
    const m = machine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('slow'), TimeoutSecondsPath: '$.t', End: true } } },
      { slow: async (_e, inv) => inv.sleep(10_000) },
    );
    expect(await m.run({ t: 5 })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect((await machine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('slow'), TimeoutSecondsPath: '$.t', End: true } } },
      { slow: async (_e, inv) => inv.sleep(10_000) },
    ).run({ t: 20 })).status).toBe('SUCCEEDED');
  });
});

describe('execution TimeoutSeconds', () => {
  test('an execution that outlasts TimeoutSeconds ends TIMED_OUT with States.Timeout', async () => {
    const m = machine({ StartAt: 'W', TimeoutSeconds: 60, States: { W: { Type: 'Wait', Seconds: 120, End: true } } });
    const r = await m.run();
    expect(r).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(types(r.history)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });
});

describe('callbacks (.waitForTaskToken)', () => {
  test('the task pauses until SendTaskSuccess; its output becomes the result', async () => {
    const m = machine(reviewTask());
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1, 'the review message');
    const token = m.sent[0]!.taskToken!;
    expect((m.sent[0]!.input as { MessageBody: { token: string } }).MessageBody.token).toBe(token);
    m.callbacks.succeed(token, JSON.stringify({ outcome: 'retry' }));
    const r = await exec.done;
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { order: 'o-1', review: { outcome: 'retry' } } });
    expect(types(r.history)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  test('SendTaskFailure fails the task with the given error, which Catch can handle', async () => {
    const m = machine({
      ...reviewTask({ Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.err', Next: 'Done' }] }),
      States: {
        ...reviewTask({ Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.err', Next: 'Done' }] }).States,
        Done: { Type: 'Succeed' },
      },
    });
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1);
    m.callbacks.fail(m.sent[0]!.taskToken!, 'Rejected', 'no');
    expect(await exec.done).toMatchObject({ status: 'SUCCEEDED', output: { err: { Error: 'Rejected', Cause: 'no' } } });
  });

  test('a used token answers TaskTimedOut; an unknown one TaskDoesNotExist; a malformed one InvalidToken; bad JSON InvalidOutput', async () => {
    const m = machine(reviewTask());
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1);
    const token = m.sent[0]!.taskToken!;
    const nameOf = (f: () => void) => {
      try {
        f();
        return 'no error';
      } catch (e) {
        return e instanceof CallbackApiError ? e.name : String(e);
      }
    };
    expect(nameOf(() => m.callbacks.succeed(token, '{not json'))).toBe('InvalidOutput');
    m.callbacks.succeed(token, '{}');
    await exec.done;
    expect(nameOf(() => m.callbacks.succeed(token, '{}'))).toBe('TaskTimedOut');
    expect(nameOf(() => m.callbacks.heartbeat(token))).toBe('TaskTimedOut');
    expect(nameOf(() => m.callbacks.succeed('QUJDREVGR0hJSktMTU5PUA', '{}'))).toBe('TaskDoesNotExist');
    expect(nameOf(() => m.callbacks.succeed('bad token!', '{}'))).toBe('InvalidToken');
  });

  test('a callback without heartbeats expires after HeartbeatSeconds (time advanced by hand) with States.Timeout', async () => {
    const m = machine(reviewTask({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }));
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1);
    exec.clock.advance(59_000);
    m.callbacks.heartbeat(m.sent[0]!.taskToken!);
    exec.clock.advance(59_000);
    await new Promise((r) => setImmediate(r));
    expect(m.callbacks.isOpen(m.sent[0]!.taskToken!)).toBe(true);
    exec.clock.advance(2_000);
    const r = await exec.done;
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types(r.history)).toContain('TaskTimedOut');
  });

  test('a catcher on States.HeartbeatTimeout catches a missed heartbeat', async () => {
    const definition = reviewTask({ HeartbeatSeconds: 10, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Late' }] });
    const m = machine({ ...definition, States: { ...definition.States, Late: { Type: 'Pass', Result: 'late', End: true } } });
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1);
    exec.clock.advance(11_000);
    expect(await exec.done).toMatchObject({ status: 'SUCCEEDED', output: 'late' });
  });

  test('in virtual time a pending callback holds the clock: its timeout fires only when time is advanced', async () => {
    const m = machine(reviewTask({ TimeoutSeconds: 86_400 }));
    const exec = m.start({ order: 'o-1' });
    await until(() => m.sent.length === 1);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(m.callbacks.isOpen(m.sent[0]!.taskToken!)).toBe(true);
    exec.clock.advance(86_400_000);
    expect(await exec.done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });
});

describe('StopExecution', () => {
  test('stop aborts the running task (its signal fires) and ends ABORTED with the given error and cause', async () => {
    let aborted = false;
    const m = machine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('hang'), End: true } } },
      {
        hang: (_e, inv) =>
          new Promise((_, reject) =>
            inv.signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            }),
          ),
      },
    );
    const exec = m.start();
    await until(() => exec.history.some((e) => e.type === 'LambdaFunctionStarted'));
    exec.stop('Operator', 'stopped by test');
    const r = await exec.done;
    expect(r).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by test' });
    expect(aborted).toBe(true);
    expect(types(r.history).slice(-2)).toEqual(['TaskStateAborted', 'ExecutionAborted']);
  });
});
