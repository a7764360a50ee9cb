import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  InvalidArn,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineTypeNotSupported,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitions, handlers, ROLE_ARN, startServer, type TestServer } from './support.js';


let server: TestServer;
beforeEach(async () => {
  server = await startServer({
    resolve: handlers({
      double: (input) => ({ value: (input as { value: number }).value * 2 }),
      explode: () => {
        throw Object.assign(new Error('kaboom'), { name: 'CarrierDown' });
      },
    }),
  });
});
afterEach(async () => {
  await server.close();
});

async function machine(name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'EXPRESS'): Promise<string> {
  const out = await server.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN, type }));
  return out.stateMachineArn!;
}

describe('StartSyncExecution', () => {
  it('runs an Express execution to its end and returns its output, dates and billing details', async () => {
    const sm = await machine('double', definitions.task('double'));
    const out = await server.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm, name: 'once', input: '{"value":21}' }));
    expect(out).toMatchObject({
      stateMachineArn: sm,
      name: 'once',
      status: 'SUCCEEDED',
      input: '{"value":21}',
      inputDetails: { included: true },
      output: '{"value":42}',
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 },
    });
    expect(out.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:express:double:once:[0-9a-f-]{36}$/);
    expect(out.startDate).toBeInstanceOf(Date);
    expect(out.stopDate).toBeInstanceOf(Date);
  });

  it('answers 200 with status FAILED, error and cause when the execution fails', async () => {
    const sm = await machine('explode', definitions.task('explode'));
    const out = await server.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm }));
    expect(out.status).toBe('FAILED');
    expect(out.error).toBe('CarrierDown');
    expect(JSON.parse(out.cause!)).toMatchObject({ errorType: 'CarrierDown', errorMessage: 'kaboom' });
    expect(out.output).toBeUndefined();
  });

  it('refuses a STANDARD state machine with StateMachineTypeNotSupported', async () => {
    const sm = await machine('std', definitions.pass, 'STANDARD');
    const err = await server.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateMachineTypeNotSupported);
    expect((err as Error).message).toBe('This operation is not supported by this type of state machine');
  });

  it('reuses a name immediately (Express executions are not idempotent)', async () => {
    const sm = await machine('quick', definitions.pass);
    const a = await server.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm, name: 'same' }));
    const b = await server.client.send(new StartSyncExecutionCommand({ stateMachineArn: sm, name: 'same' }));
    expect(a.status).toBe('SUCCEEDED');
    expect(b.status).toBe('SUCCEEDED');
    expect(b.executionArn).not.toBe(a.executionArn);
  });
});

describe('Express executions through the asynchronous API', () => {
  it('StartExecution returns an express ARN that Describe refuses, and ListExecutions is not supported', async () => {
    const sm = await machine('quick', definitions.pass);
    const { executionArn } = await server.client.send(new StartExecutionCommand({ stateMachineArn: sm }));
    expect(executionArn).toMatch(/:express:quick:/);
    await expect(server.client.send(new DescribeExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(InvalidArn);
    await expect(server.client.send(new ListExecutionsCommand({ stateMachineArn: sm }))).rejects.toBeInstanceOf(
      StateMachineTypeNotSupported,
    );
  });
});
