import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidToken,
  ListExecutionsCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  UpdateStateMachineCommand,
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

async function machine(name: string, definition: string): Promise<string> {
  const out = await server.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN }));
  return out.stateMachineArn!;
}

const describeX = (executionArn: string) => server.client.send(new DescribeExecutionCommand({ executionArn }));
const finished = (executionArn: string) =>
  eventually(async () => {
    const d = await describeX(executionArn);
    return d.status !== 'RUNNING' && d;
  });

describe('DescribeExecution', () => {
  it('describes a succeeded execution with its input, output and dates', async () => {
    const sm = await machine('quick', definitions.passResult({ ok: true }));
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'x1', input: '{"a":1}' }));
    const d = await finished(executionArn!);
    expect(d).toMatchObject({
      executionArn,
      stateMachineArn: sm,
      name: 'x1',
      status: 'SUCCEEDED',
      input: '{"a":1}',
      inputDetails: { included: true },
      output: '{"ok":true}',
      outputDetails: { included: true },
      redriveCount: 0,
    });
    expect(d.startDate).toBeInstanceOf(Date);
    expect(d.stopDate).toBeInstanceOf(Date);
    expect(d.stopDate!.getTime()).toBeGreaterThanOrEqual(d.startDate!.getTime());
  });

  it('describes a failed execution with its error and cause and no output', async () => {
    const sm = await machine('failing', definitions.fail);
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    const d = await finished(executionArn!);
    expect(d).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'it broke' });
    expect(d.output).toBeUndefined();
  });

  it('leaves out input and output for includedData METADATA_ONLY', async () => {
    const sm = await machine('quick', definitions.pass);
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm, input: '{"a":1}' }));
    await finished(executionArn!);
    const d = await server.client.send(new DescribeExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }));
    expect(d.input).toBeUndefined();
    expect(d.output).toBeUndefined();
    expect(d.inputDetails).toEqual({ included: false });
  });

  it('answers ExecutionDoesNotExist for an unknown execution and InvalidArn for a bad or Express ARN', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:quick:ghost';
    const err = await describeX(arn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionDoesNotExist);
    expect((err as Error).message).toBe(`Execution Does Not Exist: '${arn}'`);
    await expect(describeX('execution:quick:ghost')).rejects.toBeInstanceOf(InvalidArn);
    const express = await describeX('arn:aws:states:us-east-1:123456789012:express:quick:x:4b1c9c51-6cd1-4fb2-9e2b-2d7b8d5ab8e3').catch(
      (e: unknown) => e,
    );
    expect(express).toBeInstanceOf(InvalidArn);
    expect((express as Error).message).toBe("Invalid Arn: 'Resource type not valid in this context: express'");
  });
});

describe('DescribeStateMachineForExecution', () => {
  it('returns the definition the execution started with, even after an update', async () => {
    const sm = await machine('review', definitions.callback);
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    await server.client.send(new UpdateStateMachineCommand({ stateMachineArn: sm, definition: definitions.pass }));
    const d = await server.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(d.definition).toBe(definitions.callback);
    expect(d.name).toBe('review');
  });
});

describe('ListExecutions', () => {
  it('lists newest first, pages with nextToken and filters by status', async () => {
    const quick = await machine('quick', definitions.pass);
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: quick, name: `e${i}` }));
      arns.push(executionArn!);
    }
    for (const arn of arns) await finished(arn);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await server.client.send(new ListExecutionsCommand({ stateMachineArn: quick, maxResults: 2, nextToken }));
      expect(out.executions!.length).toBeLessThanOrEqual(2);
      for (const x of out.executions!) {
        expect(x).toMatchObject({ stateMachineArn: quick, status: 'SUCCEEDED', startDate: expect.any(Date), stopDate: expect.any(Date) });
        seen.push(x.name!);
      }
      nextToken = out.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['e4', 'e3', 'e2', 'e1', 'e0']);

    const running = await server.client.send(new ListExecutionsCommand({ stateMachineArn: quick, statusFilter: 'RUNNING' }));
    expect(running.executions).toEqual([]);
    const succeeded = await server.client.send(new ListExecutionsCommand({ stateMachineArn: quick, statusFilter: 'SUCCEEDED' }));
    expect(succeeded.executions).toHaveLength(5);
  });

  it('only lists executions of the given state machine', async () => {
    const a = await machine('a', definitions.pass);
    const b = await machine('b', definitions.callback);
    await server.client.send(new StartExecutionCommand({ stateMachineArn: a, name: 'of-a' }));
    await server.client.send(new StartExecutionCommand({ stateMachineArn: b, name: 'of-b' }));
    const out = await server.client.send(new ListExecutionsCommand({ stateMachineArn: b }));
    expect(out.executions!.map((x) => [x.name, x.status])).toEqual([['of-b', 'RUNNING']]);
  });

  it('refuses a bad statusFilter, a foreign nextToken and an unknown state machine', async () => {
    const quick = await machine('quick', definitions.pass);
    const bad = await server.client
      .send(new ListExecutionsCommand({ stateMachineArn: quick, statusFilter: 'DONE' as never }))
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationException);
    expect((bad as Error).message).toBe(
      "1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]",
    );
    await expect(
      server.client.send(new ListExecutionsCommand({ stateMachineArn: quick, nextToken: 'garbage' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(
      server.client.send(new ListExecutionsCommand({ stateMachineArn: `${quick}-ghost` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('StopExecution', () => {
  it('stops a running execution: ABORTED with the given error and cause, and an ExecutionAborted event', async () => {
    const sm = await machine('review', definitions.callback);
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    await eventually(() => server.local.service.callbacks.openTokens().length > 0);
    const out = await server.client.send(new StopExecutionCommand({ executionArn, error: 'Manual', cause: 'operator' }));
    expect(out.stopDate).toBeInstanceOf(Date);
    const d = await describeX(executionArn!);
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'operator' });
    const types = server.local.service.history(executionArn!).map((e) => e.type);
    expect(types[types.length - 1]).toBe('ExecutionAborted');
    expect(server.local.service.callbacks.openTokens()).toEqual([]);
  });

  it('answers ExecutionDoesNotExist for an unknown execution', async () => {
    await expect(
      server.client.send(new StopExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y' })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
