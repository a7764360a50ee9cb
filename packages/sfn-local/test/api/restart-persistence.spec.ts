import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/store/journal.js';
import { definitions, eventually, ROLE_ARN, startServer, tempDir, type TestServer } from './support.js';


let data: ReturnType<typeof tempDir>;
const servers: TestServer[] = [];
beforeEach(() => {
  data = tempDir();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  data.remove();
});

async function boot(): Promise<TestServer> {
  const server = await startServer({ dataDir: data.dir });
  servers.push(server);
  return server;
}

async function stop(server: TestServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.close();
}

const settled = (client: SFNClient, executionArn: string) =>
  eventually(async () => {
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    return d.status !== 'RUNNING' && d;
  });

async function history(client: SFNClient, executionArn: string) {
  return (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
}

/** Before the restart: a finished, a failed and a paused execution. */
async function firstLife() {
  const a = await boot();
  const quick = (await a.client.send(new CreateStateMachineCommand({ name: 'quick', definition: definitions.pass, roleArn: ROLE_ARN })))
    .stateMachineArn!;
  const failing = (
    await a.client.send(new CreateStateMachineCommand({ name: 'failing', definition: definitions.fail, roleArn: ROLE_ARN }))
  ).stateMachineArn!;
  const review = (
    await a.client.send(new CreateStateMachineCommand({ name: 'review', definition: definitions.callback, roleArn: ROLE_ARN }))
  ).stateMachineArn!;
  const done = (await a.client.send(new StartExecutionCommand({ stateMachineArn: quick, name: 'done-1', input: '{"k":1}' }))).executionArn!;
  const failed = (await a.client.send(new StartExecutionCommand({ stateMachineArn: failing, name: 'failed-1' }))).executionArn!;
  await settled(a.client, done);
  await settled(a.client, failed);
  const paused = (await a.client.send(new StartExecutionCommand({ stateMachineArn: review, name: 'paused-1', input: '{"order":9}' })))
    .executionArn!;
  const token = await eventually(() => a.local.service.callbacks.openTokens()[0]);
  const doneHistory = await history(a.client, done);
  const pausedHistory = await history(a.client, paused);
  await stop(a);
  return { quick, failing, review, done, failed, paused, token, doneHistory, pausedHistory };
}

describe('restart persistence (data folder journal)', () => {
  it('lists finished executions with their full history after a restart', async () => {
    const before = await firstLife();
    const b = await boot();
    const machines = await b.client.send(new ListStateMachinesCommand({}));
    expect(machines.stateMachines!.map((s) => s.name)).toEqual(['quick', 'failing', 'review']);
    const listed = await b.client.send(new ListExecutionsCommand({ stateMachineArn: before.quick }));
    expect(listed.executions!.map((x) => [x.name, x.status])).toEqual([['done-1', 'SUCCEEDED']]);
    const d = await b.client.send(new DescribeExecutionCommand({ executionArn: before.done }));
    expect(d).toMatchObject({ status: 'SUCCEEDED', input: '{"k":1}', output: '{"k":1}' });
    expect(await history(b.client, before.done)).toEqual(before.doneHistory);
    const f = await b.client.send(new DescribeExecutionCommand({ executionArn: before.failed }));
    expect(f).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'it broke' });
  });

  it('resumes a paused execution: SendTaskSuccess with its original token completes it', async () => {
    const before = await firstLife();
    const b = await boot();
    const running = await b.client.send(new DescribeExecutionCommand({ executionArn: before.paused }));
    expect(running.status).toBe('RUNNING');
    await b.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: '{"decision":"APPROVE"}' }));
    const d = await settled(b.client, before.paused);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"APPROVE"}' });
    const events = await history(b.client, before.paused);
    // The history before the restart is kept as is, and continues with the next ids.
    expect(events.slice(0, before.pausedHistory.length)).toEqual(before.pausedHistory);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events[events.length - 1]!.type).toBe('ExecutionSucceeded');
  });

  it('accepts one SendTaskSuccess per token right after a restart; a second answers TaskTimedOut', async () => {
    const before = await firstLife();
    const b = await boot();
    const results = await Promise.allSettled(
      [1, 2].map((n) => b.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: `{"n":${n}}` }))),
    );
    const accepted = results.findIndex((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(TaskTimedOut);
    expect((await settled(b.client, before.paused)).output).toBe(`{"n":${accepted + 1}}`);
  });

  it('keeps a resumed execution resumable across a second restart', async () => {
    const before = await firstLife();
    await stop(await boot());
    const c = await boot();
    await c.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: '{"twice":true}' }));
    const d = await settled(c.client, before.paused);
    expect(d.output).toBe('{"twice":true}');
    const ids = (await history(c.client, before.paused)).map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('answers TaskTimedOut after a restart for the token of a task that ended before it', async () => {
    const before = await firstLife();
    const b = await boot();
    await b.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: '{}' }));
    await settled(b.client, before.paused);
    await stop(b);
    const c = await boot();
    await expect(c.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: '{}' }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  it('delivers a callback acknowledged just before a crash once the execution resumes', async () => {
    const before = await firstLife();
    // As if the process died right after writing the acknowledgement of a SendTaskSuccess.
    const journal = Journal.open({ dir: data.dir });
    journal.write({ t: 'cb', a: before.paused, k: before.token, ok: true, output: '{"late":true}' }, 'durable');
    journal.close();
    const b = await boot();
    const d = await settled(b.client, before.paused);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"late":true}' });
  });

  it('ignores a torn last line left by a crash mid-write', async () => {
    const before = await firstLife();
    const file = path.join(data.dir, 'journal.jsonl');
    appendFileSync(file, '{"t":"ev","a":"arn:aws:states:us-east-1:123456789012:execution:quick:done-1","e":{"ty');
    const b = await boot();
    expect(await history(b.client, before.done)).toEqual(before.doneHistory);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
    // New writes land on a clean line.
    await b.client.send(new StartExecutionCommand({ stateMachineArn: before.quick, name: 'after-tear' }));
    await stop(b);
    const c = await boot();
    await expect(c.client.send(new DescribeExecutionCommand({ executionArn: `${before.quick.replace(':stateMachine:', ':execution:')}:after-tear` }))).resolves.toMatchObject({
      name: 'after-tear',
    });
  });

  it('starts from a journal with an unreadable history line in the middle, keeping the events before it', async () => {
    const before = await firstLife();
    const file = path.join(data.dir, 'journal.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    const third = lines.findIndex((l) => l.includes('"t":"ev"') && l.includes('done-1') && l.includes('"id":3'));
    expect(third).toBeGreaterThan(0);
    lines[third] = '{"t":"ev","a": this line was damaged';
    writeFileSync(file, lines.join('\n'));
    const b = await boot();
    const d = await b.client.send(new DescribeExecutionCommand({ executionArn: before.done }));
    expect(d.status).toBe('SUCCEEDED');
    // The events after the gap cannot be placed in order; the ones before it are all there.
    expect(await history(b.client, before.done)).toEqual(before.doneHistory.slice(0, 2));
    // The other executions are untouched.
    expect(await history(b.client, before.paused)).toEqual(before.pausedHistory);
  });

  it('persists updates and deletions of state machines', async () => {
    const a = await boot();
    const { stateMachineArn: keep } = await a.client.send(
      new CreateStateMachineCommand({ name: 'keep', definition: definitions.pass, roleArn: ROLE_ARN }),
    );
    const { stateMachineArn: gone } = await a.client.send(
      new CreateStateMachineCommand({ name: 'gone', definition: definitions.pass, roleArn: ROLE_ARN }),
    );
    const v2 = definitions.passResult({ v: 2 });
    const { revisionId } = await a.client.send(new UpdateStateMachineCommand({ stateMachineArn: keep, definition: v2 }));
    await a.client.send(new DeleteStateMachineCommand({ stateMachineArn: gone }));
    await stop(a);
    const b = await boot();
    const described = await b.client.send(new DescribeStateMachineCommand({ stateMachineArn: keep }));
    expect(described).toMatchObject({ definition: v2, revisionId });
    const names = (await b.client.send(new ListStateMachinesCommand({}))).stateMachines!.map((s) => s.name);
    expect(names).toEqual(['keep']);
  });

  it('compacts a journal made mostly of superseded lines when it starts', async () => {
    const before = await firstLife();
    const journal = Journal.open({ dir: data.dir });
    const cp = journal.replayed.filter((l) => l.t === 'cp' && l.a === before.paused).pop()!;
    for (let i = 0; i < 3000; i++) journal.write(cp);
    journal.close();
    const file = path.join(data.dir, 'journal.jsonl');
    const bigger = statSync(file).size;
    const b = await boot();
    expect(statSync(file).size).toBeLessThan(bigger / 10);
    await b.client.send(new SendTaskSuccessCommand({ taskToken: before.token, output: '{"compacted":true}' }));
    expect((await settled(b.client, before.paused)).output).toBe('{"compacted":true}');
    expect(await history(b.client, before.done)).toEqual(before.doneHistory);
  });
});
