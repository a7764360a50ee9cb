import type { StateMachineDefinition } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { createLambdaRegistry, createLambdaResolver, type LambdaHandler } from '../../src/integrations/lambda.js';
import { localStateMachine } from '../../src/local-machine.js';

const FN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** One Task calling `Ship` (function timeout `timeoutMs`), with the Task's own TimeoutSeconds and Retry. */
function machine(handler: LambdaHandler, timeoutMs: number, task: Record<string, unknown> = {}, clock: 'virtual' | 'real' = 'virtual') {
  const registry = createLambdaRegistry();
  registry.register('Ship', handler, { timeoutMs });
  const definition = {
    StartAt: 'BookShipment',
    States: { BookShipment: { Type: 'Task', Resource: FN('Ship'), TimeoutSeconds: 20, End: true, ...task } },
  } as unknown as StateMachineDefinition;
  return localStateMachine(definition, { resolve: createLambdaResolver(registry), clock, startTime: Date.UTC(2026, 0, 1) });
}

describe("a Lambda function's own timeout", () => {
  it('fails the Task with Sandbox.Timedout, as Lambda reports it, before a longer TimeoutSeconds', async () => {
    let aborted = false;
    const m = machine(async (_event, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      await context.sleep(16_000);
      return { booked: true };
    }, 15_000);
    const outcome = await m.run({});
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    const cause = JSON.parse((outcome as { cause: string }).cause) as { errorType: string; errorMessage: string };
    expect(cause.errorType).toBe('Sandbox.Timedout');
    expect(cause.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 15\.00 seconds$/);
    const types = outcome.history.map((e) => e.type);
    expect(types).toContain('LambdaFunctionFailed');
    expect(types).not.toContain('LambdaFunctionTimedOut');
    // It stopped at 15 s of the execution's clock, not at the Task's 20 s.
    const failed = outcome.history.find((e) => e.type === 'LambdaFunctionFailed')!;
    expect(failed.timestamp - outcome.history[0]!.timestamp).toBe(15_000);
    expect(aborted).toBe(true);
  });

  it('is retried by a retrier that names Sandbox.Timedout', async () => {
    let calls = 0;
    const m = machine(
      async (_event, context) => {
        if (++calls === 1) await context.sleep(60_000);
        return { booked: calls };
      },
      15_000,
      { Retry: [{ ErrorEquals: ['States.Timeout', 'Sandbox.Timedout'], IntervalSeconds: 2, MaxAttempts: 2 }] },
    );
    const outcome = await m.run({});
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { booked: 2 } });
  });

  it('a handler that catches the timeout and returns anyway is still failed: it was stopped', async () => {
    const m = machine(async (_event, context) => {
      try {
        await context.sleep(10_000);
      } catch {
        return { booked: 'after the timeout' };
      }
      return { booked: true };
    }, 3_000);
    expect(await m.run({})).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
  });

  it('work that ends within the timeout succeeds; the Task TimeoutSeconds still applies when it is the shorter', async () => {
    const within = machine(async (_event, context) => {
      await context.sleep(2_999);
      return { remaining: context.getRemainingTimeInMillis() };
    }, 3_000);
    expect(await within.run({})).toMatchObject({ status: 'SUCCEEDED', output: { remaining: 1 } });
    const taskFirst = machine(async (_event, context) => {
      await context.sleep(60_000);
      return {};
    }, 900_000, { TimeoutSeconds: 5 });
    expect(await taskFirst.run({})).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('in real time a timer stops a handler that runs too long', async () => {
    const m = machine(() => new Promise((resolve) => setTimeout(() => resolve({ late: true }), 2_000)), 50, {}, 'real');
    const started = Date.now();
    const outcome = await m.run({});
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
