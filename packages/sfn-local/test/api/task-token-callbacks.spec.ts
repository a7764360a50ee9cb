import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  InvalidOutput,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitions, eventually, ROLE_ARN, startServer, type TestServer } from './support.js';


let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

/** Starts the callback machine and returns the execution and the token it waits on. */
async function paused(): Promise<{ executionArn: string; token: string }> {
  const sm = await server.client.send(new CreateStateMachineCommand({ name: 'review', definition: definitions.callback, roleArn: ROLE_ARN }));
  const before = new Set(server.local.service.callbacks.openTokens());
  const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"order":7}' }));
  const token = await eventually(() => server.local.service.callbacks.openTokens().find((t) => !before.has(t)));
  return { executionArn: executionArn!, token };
}

const settled = (executionArn: string) =>
  eventually(async () => {
    const d = await server.client.send(new DescribeExecutionCommand({ executionArn }));
    return d.status !== 'RUNNING' && d;
  });

describe('SendTaskSuccess', () => {
  it('resumes the waiting task with the output as its result', async () => {
    const { executionArn, token } = await paused();
    await server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"APPROVE"}' }));
    const d = await settled(executionArn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"APPROVE"}' });
  });

  it('answers TaskTimedOut for a token whose task has already closed', async () => {
    const { executionArn, token } = await paused();
    await server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await settled(executionArn);
    const err = await server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TaskTimedOut);
  });

  it('answers TaskTimedOut to a second SendTaskSuccess sent right after the first', async () => {
    const { executionArn, token } = await paused();
    const results = await Promise.allSettled(
      [1, 2].map((n) => server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: `{"n":${n}}` }))),
    );
    const accepted = results.findIndex((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(TaskTimedOut);
    expect((await settled(executionArn)).output).toBe(`{"n":${accepted + 1}}`);
  });

  it('answers InvalidToken for a malformed token and TaskDoesNotExist for an unknown well-formed one', async () => {
    await expect(server.client.send(new SendTaskSuccessCommand({ taskToken: 'bad token!', output: '{}' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
    await expect(
      server.client.send(new SendTaskSuccessCommand({ taskToken: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA', output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('answers InvalidOutput for an output that is not JSON, and the task keeps waiting', async () => {
    const { executionArn, token } = await paused();
    await expect(server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{nope' }))).rejects.toBeInstanceOf(
      InvalidOutput,
    );
    const d = await server.client.send(new DescribeExecutionCommand({ executionArn }));
    expect(d.status).toBe('RUNNING');
    expect(server.local.service.callbacks.isOpen(token)).toBe(true);
  });

  it('requires output (ValidationException naming the member)', async () => {
    const { token } = await paused();
    const err = await server.client
      .send(new SendTaskSuccessCommand({ taskToken: token, output: undefined as unknown as string }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toBe(
      "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('SendTaskFailure', () => {
  it('fails the waiting task with the error and cause', async () => {
    const { executionArn, token } = await paused();
    await server.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'by reviewer' }));
    const d = await settled(executionArn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'by reviewer' });
    await expect(server.client.send(new SendTaskFailureCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);
  });
});

describe('SendTaskHeartbeat', () => {
  it('accepts a heartbeat for an open task and refuses closed, unknown and malformed tokens', async () => {
    const { executionArn, token } = await paused();
    await expect(server.client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).resolves.toBeDefined();
    await server.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    await settled(executionArn);
    await expect(server.client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      server.client.send(new SendTaskHeartbeatCommand({ taskToken: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBB' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(server.client.send(new SendTaskHeartbeatCommand({ taskToken: '%%%' }))).rejects.toBeInstanceOf(InvalidToken);
  });
});
