import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  InvalidExecutionInput,
  InvalidName,
  StartExecutionCommand,
  StateMachineDoesNotExist,
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

const start = (stateMachineArn: string, name?: string, input?: string) =>
  server.client.send(new StartExecutionCommand({ stateMachineArn, name, input }));

describe('StartExecution name idempotency', () => {
  it('returns the same execution for the same name and input while it runs', async () => {
    const sm = await machine('review', definitions.callback);
    const first = await start(sm, 'order-1', '{"id":1}');
    const again = await start(sm, 'order-1', '{"id":1}');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate!.getTime()).toBe(first.startDate!.getTime());
  });

  it('refuses the same name with another input with ExecutionAlreadyExists', async () => {
    const sm = await machine('review', definitions.callback);
    const first = await start(sm, 'order-1', '{"id":1}');
    const err = await start(sm, 'order-1', '{"id":2}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionAlreadyExists);
    expect((err as Error).message).toBe(`Execution Already Exists: '${first.executionArn}'`);
  });

  it('refuses a name of a closed execution, even with the same input', async () => {
    const sm = await machine('quick', definitions.pass);
    const first = await start(sm, 'once', '{}');
    await eventually(async () => {
      const d = await server.client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
      return d.status === 'SUCCEEDED';
    });
    await expect(start(sm, 'once', '{}')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('names an execution with a UUID when no name is given, and the ARN follows the AWS format', async () => {
    const sm = await machine('quick', definitions.pass);
    const a = await start(sm);
    const b = await start(sm);
    expect(a.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:quick:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.executionArn).not.toBe(a.executionArn);
  });
});

describe('StartExecution input', () => {
  it('defaults the input to {} and accepts scalar JSON', async () => {
    const sm = await machine('quick', definitions.pass);
    const a = await start(sm, 'no-input');
    const b = await start(sm, 'scalar', '2');
    const da = await eventually(async () => {
      const d = await server.client.send(new DescribeExecutionCommand({ executionArn: a.executionArn }));
      return d.status === 'SUCCEEDED' && d;
    });
    expect(da.input).toBe('{}');
    expect(da.output).toBe('{}');
    const db = await eventually(async () => {
      const d = await server.client.send(new DescribeExecutionCommand({ executionArn: b.executionArn }));
      return d.status === 'SUCCEEDED' && d;
    });
    expect(db.output).toBe('2');
  });

  it('refuses an empty or non-JSON input with InvalidExecutionInput', async () => {
    const sm = await machine('quick', definitions.pass);
    const empty = await start(sm, 'e', '').catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(InvalidExecutionInput);
    expect((empty as Error).message).toBe("Invalid State Machine Execution Input: 'Invalid execution input.'");
    const broken = await start(sm, 'b', '{"a":').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(InvalidExecutionInput);
    expect((broken as Error).message).toMatch(/^Invalid State Machine Execution Input: '/);
  });

  it('refuses an input over 262144 bytes with ValidationException', async () => {
    const sm = await machine('quick', definitions.pass);
    const big = JSON.stringify({ s: 'x'.repeat(262_144) });
    const err = await start(sm, 'big', big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toBe(
      "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
    );
    // Multi-byte characters count in bytes, not characters.
    const wide = JSON.stringify({ s: 'é'.repeat(140_000) });
    await expect(start(sm, 'wide', wide)).rejects.toBeInstanceOf(ValidationException);
  });

  it('refuses an invalid execution name with InvalidName and an unknown machine with StateMachineDoesNotExist', async () => {
    const sm = await machine('quick', definitions.pass);
    const err = await start(sm, 'bad name').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidName);
    expect((err as Error).message).toBe("Invalid Name: 'bad name'");
    await expect(start(`${sm}-ghost`, 'x')).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});
