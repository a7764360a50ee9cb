import {
  InvalidDefinition,
  InvalidExecutionInput,
  TestStateCommand,
  ValidateStateMachineDefinitionCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handlers, ROLE_ARN, startServer, type TestServer } from './support.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer({ resolve: handlers({ echo: (input) => ({ echoed: input }) }) });
});
afterEach(async () => {
  await server.close();
});

const validateDef = (definition: string, extra: Record<string, unknown> = {}) =>
  server.client.send(new ValidateStateMachineDefinitionCommand({ definition, ...extra }));

const testState = (definition: unknown, extra: Record<string, unknown> = {}) =>
  server.client.send(new TestStateCommand({ definition: JSON.stringify(definition), roleArn: ROLE_ARN, ...extra }));

describe('ValidateStateMachineDefinition', () => {
  it('answers OK with no diagnostics for a valid definition', async () => {
    const out = await validateDef(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }));
    expect(out).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
  });

  it('answers 200 FAIL with AWS-coded diagnostics for an invalid one', async () => {
    const out = await validateDef(JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } }));
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics).toContainEqual({
      severity: 'ERROR',
      code: 'MISSING_TRANSITION_TARGET',
      message: "Missing 'Next' target: Nope",
      location: '/StartAt',
    });
  });

  it('reports INVALID_JSON_DESCRIPTION for text that is not JSON', async () => {
    const out = await validateDef('{oops');
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics![0]!.code).toBe('INVALID_JSON_DESCRIPTION');
  });

  it('includes warnings only with severity WARNING, and truncates at maxResults', async () => {
    const warned = JSON.stringify({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Parameters: { path: '$.x' }, Next: 'B' }, B: { Type: 'Pass', Parameters: { p: '$.y' }, End: true } },
    });
    const errorsOnly = await validateDef(warned);
    expect(errorsOnly).toMatchObject({ result: 'OK', diagnostics: [] });
    const all = await validateDef(warned, { severity: 'WARNING' });
    expect(all.diagnostics!.length).toBeGreaterThanOrEqual(2);
    expect(all.diagnostics!.every((d) => d.severity === 'WARNING')).toBe(true);
    const one = await validateDef(warned, { severity: 'WARNING', maxResults: 1 });
    expect(one.diagnostics).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });

  it('applies EXPRESS rules with type EXPRESS', async () => {
    const callback = JSON.stringify({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token', QueueUrl: 'q' }, End: true } },
    });
    expect((await validateDef(callback)).result).toBe('OK');
    expect((await validateDef(callback, { type: 'EXPRESS' })).result).toBe('FAIL');
  });

  it('refuses maxResults above 100 with ValidationException', async () => {
    await expect(validateDef('{}', { maxResults: 101 })).rejects.toBeInstanceOf(ValidationException);
  });
});

describe('TestState', () => {
  it('runs a single Pass state and names the state it would go to next', async () => {
    const out = await testState({ Type: 'Pass', Parameters: { 'total.$': '$.a' }, Next: 'Ship' }, { input: '{"a":3}' });
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"total":3}', nextState: 'Ship' });
  });

  it('picks stateName out of a whole machine and evaluates a Choice', async () => {
    const machine = {
      StartAt: 'Route',
      States: {
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.amount', NumericGreaterThan: 100, Next: 'Review' }],
          Default: 'Approve',
        },
        Review: { Type: 'Succeed' },
        Approve: { Type: 'Succeed' },
      },
    };
    const big = await testState(machine, { stateName: 'Route', input: '{"amount":500}' });
    expect(big).toMatchObject({ status: 'SUCCEEDED', nextState: 'Review', output: '{"amount":500}' });
    const small = await testState(machine, { stateName: 'Route', input: '{"amount":5}' });
    expect(small.nextState).toBe('Approve');
  });

  it('calls the Task integration, then ResultSelector and ResultPath', async () => {
    const out = await testState(
      {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
        ResultSelector: { 'got.$': '$.echoed.n' },
        ResultPath: '$.result',
        End: true,
      },
      { input: '{"n":1}' },
    );
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output!)).toEqual({ n: 1, result: { got: 1 } });
    expect(out.nextState).toBeUndefined();
  });

  it('answers a mocked result in place of the integration', async () => {
    const out = await testState(
      { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'nowhere' }, OutputPath: '$.Payload', Next: 'After' },
      { mock: { result: '{"Payload":{"ok":true}}' } },
    );
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}', nextState: 'After' });
  });

  it('reports RETRIABLE when a retrier would retry the error, CAUGHT_ERROR when a catcher handles it', async () => {
    const state = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'carrier' },
      Retry: [{ ErrorEquals: ['Carrier.RateLimited'], MaxAttempts: 2 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Compensate' }],
      Next: 'Done',
    };
    const mock = { errorOutput: { error: 'Carrier.RateLimited', cause: 'slow down' } };
    const retriable = await testState(state, { mock, input: '{"order":1}' });
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Carrier.RateLimited', cause: 'slow down' });
    const exhausted = await testState(state, { mock, input: '{"order":1}', stateConfiguration: { retrierRetryCount: 2 } });
    expect(exhausted).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Carrier.RateLimited', nextState: 'Compensate' });
    expect(JSON.parse(exhausted.output!)).toEqual({ order: 1, error: { Error: 'Carrier.RateLimited', Cause: 'slow down' } });
  });

  it('reports FAILED with the error and cause of a Fail state or an uncaught error', async () => {
    const fail = await testState({ Type: 'Fail', Error: 'OrderRejected', Cause: 'no stock' });
    expect(fail).toMatchObject({ status: 'FAILED', error: 'OrderRejected', cause: 'no stock' });
    const uncaught = await testState(
      { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'x' }, End: true },
      { mock: { errorOutput: { error: 'Boom', cause: 'bad' } } },
    );
    expect(uncaught).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'bad' });
  });

  it('starts with the given variables', async () => {
    const out = await testState(
      { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $discount * $states.input.price %}', End: true },
      { input: '{"price":200}', variables: '{"discount":0.5}' },
    );
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '100' });
  });

  it('refuses an invalid state with InvalidDefinition and an invalid input with InvalidExecutionInput', async () => {
    await expect(testState({ Type: 'Pass', Next: 'X', End: true })).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(testState({ Type: 'Pass', End: true }, { input: '{nope' })).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(
      server.client.send(new TestStateCommand({ definition: '{not json', roleArn: ROLE_ARN })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
  });
});
