import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import { createMockResolver, MockConfigError, parseMockConfig } from '../../src/integrations/mock-config.js';
import { answer, invocation, rejection } from './support.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';

/** The example of AWS's MockConfigFile documentation. */
const DOC_EXAMPLE = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    LambdaMockedResourceNotReady: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
    },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e', MessageId: '3bcb6e8e-8b51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
  },
};

function mockError(input: unknown): MockConfigError {
  try {
    parseMockConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(MockConfigError);
    return e as MockConfigError;
  }
  throw new Error('expected parseMockConfig to throw');
}

describe('parseMockConfig', () => {
  it('accepts the documented example, from an object or a JSON string', () => {
    expect(parseMockConfig(DOC_EXAMPLE)).toEqual(DOC_EXAMPLE);
    expect(parseMockConfig(JSON.stringify(DOC_EXAMPLE))).toEqual(DOC_EXAMPLE);
  });

  it('returns a copy: later changes to the input do not leak in', () => {
    const input = structuredClone(DOC_EXAMPLE);
    const parsed = parseMockConfig(input);
    input.MockedResponses.MockedSQSSuccess['0'].Return.MessageId = 'changed';
    expect(parsed.MockedResponses['MockedSQSSuccess']!['0']).toEqual(DOC_EXAMPLE.MockedResponses.MockedSQSSuccess['0']);
  });

  it('invalid JSON and non-object roots are reported at $', () => {
    expect(mockError('{').path).toBe('$');
    expect(mockError('{').message).toMatch(/^Invalid mock config at \$: not valid JSON/);
    expect(mockError([]).detail).toBe('the mock config must be a JSON object, got an array');
  });

  it('unknown and missing top-level fields are errors (a misspelt MockedResponse mocks nothing)', () => {
    const e = mockError({ StateMachines: {}, MockedResponse: {} });
    expect(e.path).toBe('$.MockedResponse');
    expect(e.detail).toContain("unknown field 'MockedResponse'");
    expect(mockError({ StateMachines: {} }).detail).toBe("missing field 'MockedResponses'");
    expect(mockError({ MockedResponses: {} }).detail).toBe("missing field 'StateMachines'");
  });

  it('a test case naming an undefined mocked response is an error at that state', () => {
    const e = mockError({ StateMachines: { M: { TestCases: { T: { 'Charge Payment': 'Nope' } } } }, MockedResponses: {} });
    expect(e.path).toBe('$.StateMachines.M.TestCases.T["Charge Payment"]');
    expect(e.detail).toBe("mocked response 'Nope' is not defined in MockedResponses");
  });

  it('state machines need TestCases and nothing else', () => {
    expect(mockError({ StateMachines: { M: {} }, MockedResponses: {} }).detail).toBe("missing field 'TestCases'");
    expect(mockError({ StateMachines: { M: { TestCases: {}, Cases: {} } }, MockedResponses: {} }).path).toBe('$.StateMachines.M.Cases');
  });

  it('invocation keys must be integers or inclusive ranges', () => {
    expect(mockError({ StateMachines: {}, MockedResponses: { R: { a: { Return: 1 } } } }).path).toBe('$.MockedResponses.R.a');
    for (const key of ['-1', '1-', '01', '0-1-2', ' 0']) {
      const e = mockError({ StateMachines: {}, MockedResponses: { R: { [key]: { Return: 1 } } } });
      expect(e.path, key).toBe(`$.MockedResponses.R[${JSON.stringify(key)}]`);
      expect(e.detail, key).toContain('must be a zero-based integer ("0") or an inclusive range ("1-2")');
    }
    expect(mockError({ StateMachines: {}, MockedResponses: { R: { '2-1': { Return: 1 } } } }).detail).toBe(
      "range '2-1' ends before it starts",
    );
  });

  it('invocations must be numbered consecutively from 0, without overlaps', () => {
    expect(mockError({ StateMachines: {}, MockedResponses: { R: { '1': { Return: 1 } } } }).detail).toContain('invocation 0 has no response');
    const gap = mockError({ StateMachines: {}, MockedResponses: { R: { '0': { Return: 1 }, '2-3': { Return: 2 } } } });
    expect(gap.path).toBe('$.MockedResponses.R["2-3"]');
    expect(gap.detail).toContain('invocation 1 has no response');
    const overlap = mockError({ StateMachines: {}, MockedResponses: { R: { '0-2': { Return: 1 }, '2': { Return: 2 } } } });
    expect(overlap.detail).toBe("range '2' overlaps invocations already covered (0-2)");
    expect(mockError({ StateMachines: {}, MockedResponses: { R: {} } }).detail).toContain('at least one invocation');
  });

  it('each response holds exactly one of Return or Throw; Throw needs a string Error', () => {
    const both = mockError({ StateMachines: {}, MockedResponses: { R: { '0': { Return: 1, Throw: { Error: 'E' } } } } });
    expect(both.detail).toBe("a mocked response must contain exactly one of 'Return' or 'Throw'");
    expect(mockError({ StateMachines: {}, MockedResponses: { R: { '0': {} } } }).detail).toBe(
      "a mocked response must contain exactly one of 'Return' or 'Throw'",
    );
    expect(mockError({ StateMachines: {}, MockedResponses: { R: { '0': { Returns: 1 } } } }).path).toBe('$.MockedResponses.R["0"].Returns');
    const noError = mockError({ StateMachines: {}, MockedResponses: { R: { '0': { Throw: { Cause: 'c' } } } } });
    expect(noError.path).toBe('$.MockedResponses.R["0"].Throw.Error');
    const badCause = mockError({ StateMachines: {}, MockedResponses: { R: { '0': { Throw: { Error: 'E', Cause: {} } } } } });
    expect(badCause.path).toBe('$.MockedResponses.R["0"].Throw.Cause');
  });

  it('Return may be any JSON value, null included', () => {
    expect(parseMockConfig({ StateMachines: {}, MockedResponses: { R: { '0': { Return: null } } } }).MockedResponses['R']).toEqual({
      '0': { Return: null },
    });
  });
});

describe('createMockResolver', () => {
  const config = parseMockConfig(DOC_EXAMPLE);

  it('Return is the task result of the listed state', async () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'HappyPath' });
    expect(await answer(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState' })))).toEqual({
      StatusCode: 200,
      Payload: { StatusCode: 200, body: 'Hello from Lambda!' },
    });
  });

  it('ranges "0", "1-2", "3": Throw fails with Error/Cause, then Return, by invocation of the state', async () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'RetryPath' });
    const seen: unknown[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const pending = resolve(invocation(INVOKE, {}, { stateName: 'LambdaState', attempt }));
      try {
        seen.push(await answer(pending));
      } catch (e) {
        seen.push((e as StatesError).toErrorOutput());
      }
    }
    expect(seen).toEqual([
      { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' },
      { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' },
      { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' },
      { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } },
    ]);
    expect(resolve.invocations('arn:aws:states:eu-west-1:123456789012:execution:OrderSaga:ord-1', 'LambdaState')).toBe(4);
  });

  it('an invocation past the last response fails with States.Runtime (no repeat)', async () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'HappyPath' });
    await answer(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState' })));
    const e = (await rejection(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState', attempt: 1 })))) as StatesError;
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("The mocked response 'MockedLambdaSuccess' of test case 'HappyPath' has no response for invocation 1");
  });

  it('counters are per state and per execution', async () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'RetryPath' });
    const other = { execution: { executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:OrderSaga:ord-2' } };
    await rejection(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState' })));
    const e = (await rejection(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState', ...other })))) as StatesError;
    expect(e.name).toBe('Lambda.ResourceNotReadyException');
    expect(await answer(resolve(invocation(INVOKE, {}, { stateName: 'SQSState' })))).toHaveProperty('MessageId');
    resolve.reset();
    expect(((await rejection(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState' })))) as StatesError).name).toBe(
      'Lambda.ResourceNotReadyException',
    );
  });

  it("indexBy 'attempt' picks the response by retry count (each Map iteration starts at 0)", async () => {
    const resolve = createMockResolver(config, {
      stateMachineName: 'LambdaSQSIntegration',
      testCase: 'RetryPath',
      indexBy: 'attempt',
    });
    for (let i = 0; i < 2; i++) {
      const e = (await rejection(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState', attempt: 0 })))) as StatesError;
      expect(e.name).toBe('Lambda.ResourceNotReadyException');
    }
    expect(await answer(resolve(invocation(INVOKE, {}, { stateName: 'LambdaState', attempt: 3 })))).toHaveProperty('StatusCode', 200);
  });

  it('states the test case does not list fall through (undefined)', () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'HybridPath' });
    expect(resolve(invocation(INVOKE, {}, { stateName: 'SQSState' }))).toBeUndefined();
    expect(resolve.mocks('SQSState')).toBe(false);
    expect(resolve.mocks('LambdaState')).toBe(true);
  });

  it('the returned result is a copy', async () => {
    const resolve = createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'HappyPath' });
    const first = (await answer(resolve(invocation(INVOKE, {}, { stateName: 'SQSState' })))) as Record<string, unknown>;
    first['MessageId'] = 'mutated';
    resolve.reset();
    expect(await answer(resolve(invocation(INVOKE, {}, { stateName: 'SQSState' })))).toHaveProperty('MessageId', '3bcb6e8e-8b51');
  });

  it('an unknown state machine or test case is a MockConfigError naming the defined ones', () => {
    expect(() => createMockResolver(config, { stateMachineName: 'Other', testCase: 'HappyPath' })).toThrow(
      "no state machine 'Other' (defined: LambdaSQSIntegration)",
    );
    expect(() => createMockResolver(config, { stateMachineName: 'LambdaSQSIntegration', testCase: 'Sad' })).toThrow(
      "no test case 'Sad' (defined: HappyPath, RetryPath, HybridPath)",
    );
  });

  it('a hand-built config is validated too', () => {
    expect(() =>
      createMockResolver({ StateMachines: { M: { TestCases: { T: { S: 'R' } } } }, MockedResponses: {} }, { stateMachineName: 'M', testCase: 'T' }),
    ).toThrow(MockConfigError);
  });
});
