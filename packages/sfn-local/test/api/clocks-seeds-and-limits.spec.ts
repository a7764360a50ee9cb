import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDeleting,
  StateMachineDoesNotExist,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history.js';
import type { ExecutionInfo } from '../../src/service.js';
import { definitions, eventually, ROLE_ARN, startServer, type TestServer } from './support.js';

const servers: TestServer[] = [];
async function boot(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function machine(client: SFNClient, name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') {
  return (await client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN, type }))).stateMachineArn!;
}

const settled = (client: SFNClient, executionArn: string) =>
  eventually(async () => {
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    return d.status !== 'RUNNING' && d;
  });

describe('clocks', () => {
  it('virtual time: an hour-long Wait ends at once, an hour later in the execution’s time', async () => {
    const s = await boot();
    const sm = await machine(s.client, 'waits', definitions.wait(3600));
    const started = Date.now();
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const d = await settled(s.client, executionArn!);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate!.getTime() - d.startDate!.getTime()).toBeGreaterThanOrEqual(3_600_000);
  });

  it('real time: a one-second Wait takes a second', async () => {
    const s = await boot({ clockMode: 'real' });
    const sm = await machine(s.client, 'waits', definitions.wait(1));
    const started = Date.now();
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    await settled(s.client, executionArn!);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('caps an Express execution at five minutes (TIMED_OUT, States.Timeout)', async () => {
    const s = await boot();
    const sm = await machine(s.client, 'slow', definitions.wait(600), 'EXPRESS');
    const out = await s.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm }));
    expect(out.status).toBe('TIMED_OUT');
    expect(out.error).toBe('States.Timeout');
  });
});

describe('seeds', () => {
  async function unnamedRunAndToken(seed: number): Promise<{ name: string; token: string }> {
    const s = await boot({ seed });
    const sm = await machine(s.client, 'review', definitions.callback);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const token = await eventually(() => s.local.service.callbacks.openTokens()[0]);
    return { name: executionArn!.split(':').pop()!, token };
  }

  it('the same seed gives the same generated names and task tokens; another seed does not', async () => {
    const a = await unnamedRunAndToken(7);
    const b = await unnamedRunAndToken(7);
    const c = await unnamedRunAndToken(8);
    expect(b).toEqual(a);
    expect(c.name).not.toBe(a.name);
    expect(c.token).not.toBe(a.token);
  });
});

describe('onEvent', () => {
  it('reports every history event with the execution it belongs to', async () => {
    const seen: Array<[string, ExecutionInfo['name']]> = [];
    const s = await boot({ onEvent: (event: HistoryEvent, info: ExecutionInfo) => seen.push([event.type, info.name]) });
    const sm = await machine(s.client, 'quick', definitions.pass);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'x' }));
    await settled(s.client, executionArn!);
    expect(seen).toEqual([
      ['ExecutionStarted', 'x'],
      ['PassStateEntered', 'x'],
      ['PassStateExited', 'x'],
      ['ExecutionSucceeded', 'x'],
    ]);
  });
});

describe('deleting a state machine with running executions', () => {
  it('is DELETING while they run (no new executions), then gone', async () => {
    const s = await boot();
    const sm = await machine(s.client, 'review', definitions.callback);
    const { executionArn } = await s.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const token = await eventually(() => s.local.service.callbacks.openTokens()[0]);
    await s.client.send(new DeleteStateMachineCommand({ stateMachineArn: sm }));
    expect((await s.client.send(new DescribeStateMachineCommand({ stateMachineArn: sm }))).status).toBe('DELETING');
    await expect(s.client.send(new StartExecutionCommand({ stateMachineArn: sm }))).rejects.toBeInstanceOf(StateMachineDeleting);
    await s.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    expect((await settled(s.client, executionArn!)).status).toBe('SUCCEEDED');
    await expect(s.client.send(new DescribeStateMachineCommand({ stateMachineArn: sm }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    // The execution itself stays describable.
    expect((await s.client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('SUCCEEDED');
  });
});
