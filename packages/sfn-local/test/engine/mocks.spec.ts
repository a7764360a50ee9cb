import { describe, expect, test } from 'vitest';
import { chainResolvers, createMockResolver, parseMockConfig, unknownResourceResolver } from '../../src/index.js';
import { localStateMachine } from '../../src/local-machine.js';
import { fn, QUEUE, types } from './support.js';

/** A MockConfigFile as Step Functions Local users write it. */
const mockConfig = parseMockConfig({
  StateMachines: {
    Orders: {
      TestCases: {
        RetryThenReview: { Charge: 'ThrottledOnce', Review: 'Approved' },
      },
    },
  },
  MockedResponses: {
    ThrottledOnce: {
      '0': { Throw: { Error: 'Lambda.TooManyRequestsException', Cause: 'Rate exceeded' } },
      '1': { Return: { StatusCode: 200, Payload: { charged: true } } },
    },
    Approved: { '0': { Return: { outcome: 'retry' } } },
  },
});

const definition = {
  StartAt: 'Charge',
  States: {
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn('charge'), 'Payload.$': '$' },
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 2 }],
      ResultSelector: { 'charged.$': '$.Payload.charged' },
      ResultPath: '$.payment',
      Next: 'Review',
    },
    Review: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: { QueueUrl: QUEUE, MessageBody: { 'token.$': '$$.Task.Token' } },
      ResultPath: '$.review',
      End: true,
    },
  },
};

describe('Step Functions Local mock files', () => {
  test('per-invocation responses ("0" throws, "1" returns) and a mocked callback task complete the execution', async () => {
    const mocks = createMockResolver(mockConfig, { stateMachineName: 'Orders', testCase: 'RetryThenReview' });
    const machine = localStateMachine(definition as never, { resolve: chainResolvers(mocks, unknownResourceResolver), name: 'Orders' });
    const r = await machine.run({ order: 1 });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { order: 1, payment: { charged: true }, review: { outcome: 'retry' } } });
    expect(types(r.history).filter((t) => t === 'TaskFailed')).toHaveLength(1);
  });
});
