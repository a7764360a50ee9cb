/**
 * Type-level tests: each `@ts-expect-error` line must fail to compile, or the type check fails
 * (vitest runs these through tsc in typecheck mode).
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { StateMachine, TaskState } from '../src/index.js';
import {
  branch,
  choice,
  lambdaInvoke,
  parallel,
  pass,
  snsPublish,
  sqsSendMessage,
  stateMachine,
  States,
  succeed,
  task,
  withErrors,
} from '../src/index.js';

const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:charge';

describe('transitions are checked against the states of their scope', () => {
  test('a machine whose transitions all name states compiles', () => {
    const machine = stateMachine({
      StartAt: 'Charge',
      States: {
        Charge: task({
          ...lambdaInvoke({ FunctionName: fn, 'Payload.$': '$' }),
          Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 2, JitterStrategy: 'FULL' }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Next: 'Failed' }],
          Next: 'Route',
        }),
        Route: choice({ Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Failed' }),
        Done: succeed(),
        Failed: { Type: 'Fail', Error: 'OrderFulfillmentFailed' },
      },
    });
    expectTypeOf(machine).toEqualTypeOf<StateMachine<never>>();
  });

  test('an unknown Next does not compile', () => {
    () =>
      stateMachine({
        StartAt: 'A',
        States: {
          // @ts-expect-error 'Missing' is not a state of this machine
          A: task({ Resource: fn, Next: 'Missing' }),
          B: succeed(),
        },
      });
  });

  test('an unknown StartAt, Default or Catch target does not compile', () => {
    () =>
      stateMachine({
        // @ts-expect-error 'Nowhere' is not a state
        StartAt: 'Nowhere',
        States: { A: succeed() },
      });
    () =>
      stateMachine({
        StartAt: 'C',
        States: {
          // @ts-expect-error Default 'Gone' is not a state
          C: choice({ Choices: [{ Variable: '$.x', IsPresent: true, Next: 'A' }], Default: 'Gone' }),
          A: succeed(),
        },
      });
    () =>
      stateMachine({
        StartAt: 'T',
        States: {
          // @ts-expect-error the Catch target 'Refund' is not a state
          T: task({ Resource: fn, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Refund' }] }),
        },
      });
  });

  test('a branch cannot target a state outside it', () => {
    () =>
      stateMachine({
        StartAt: 'P',
        States: {
          P: parallel({
            Branches: [
              branch({
                StartAt: 'Inner',
                States: {
                  // @ts-expect-error 'After' belongs to the outer machine, not to this branch
                  Inner: pass({ Next: 'After' }),
                },
              }),
            ],
            Next: 'After',
          }),
          After: succeed(),
        },
      });
  });
});

describe('error names are typed by the declared taxonomy', () => {
  const saga = withErrors(['PaymentDeclined', 'CarrierRateLimited'] as const);

  test('declared names and States.* built-ins compile', () => {
    const t = saga.task({
      Resource: fn,
      Retry: [{ ErrorEquals: ['CarrierRateLimited', 'Lambda.TooManyRequestsException'], MaxDelaySeconds: 60 }],
      Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'Refund' }],
      Next: 'Done',
    });
    expectTypeOf(t).toEqualTypeOf<TaskState<'Refund' | 'Done', 'PaymentDeclined' | 'CarrierRateLimited'>>();
  });

  test("the DynamoDB integrations' errors compile, a misspelt one does not", () => {
    saga.task({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException', 'DynamoDB.InternalServerErrorException'] }],
      Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Refund' }],
      Next: 'Done',
    });
    saga.task({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      // @ts-expect-error the optimized integration's prefix is `DynamoDB.` (the SDK integration's is `DynamoDb.`)
      Catch: [{ ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'], Next: 'Refund' }],
      Next: 'Done',
    });
  });

  test('an undeclared error name does not compile', () => {
    // @ts-expect-error 'PaymentDecline' (typo) is not in the taxonomy
    saga.task({ Resource: fn, End: true, Catch: [{ ErrorEquals: ['PaymentDecline'], Next: 'X' }] });
    // @ts-expect-error without a taxonomy only built-in names are allowed
    task({ Resource: fn, End: true, Retry: [{ ErrorEquals: ['CarrierRateLimited'] }] });
    // @ts-expect-error custom names must not borrow the States. prefix
    saga.task({ Resource: fn, End: true, Retry: [{ ErrorEquals: ['States.Oops'] }] });
  });

  test('States.ALL cannot be mixed with other names', () => {
    // @ts-expect-error States.ALL must appear alone
    saga.task({ Resource: fn, End: true, Retry: [{ ErrorEquals: ['States.ALL', 'PaymentDeclined'] }] });
  });
});

describe('fields have their proper types', () => {
  test('a wrongly typed Retry field does not compile', () => {
    // @ts-expect-error MaxAttempts is a number
    task({ Resource: fn, End: true, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: '3' }] });
    // @ts-expect-error JitterStrategy is FULL or NONE
    task({ Resource: fn, End: true, Retry: [{ ErrorEquals: ['States.ALL'], JitterStrategy: 'RANDOM' }] });
    // @ts-expect-error ErrorEquals is required
    task({ Resource: fn, End: true, Retry: [{ MaxAttempts: 1 }] });
  });

  test('Next and End are exclusive, and terminal states have neither', () => {
    // @ts-expect-error Next and End together
    task({ Resource: fn, End: true, Next: 'X' });
    // @ts-expect-error Succeed has no Next
    succeed({ Next: 'X' });
  });

  test('JSONPath and JSONata fields do not mix', () => {
    // @ts-expect-error Output is JSONata-only, InputPath JSONPath-only
    task({ Resource: fn, End: true, InputPath: '$.order', Output: '{% $states.result %}' });
    task({ Resource: fn, End: true, QueryLanguage: 'JSONata', Arguments: { order: '{% $states.input.order %}' } });
  });

  test('a .$ field holds a path or an intrinsic call', () => {
    // @ts-expect-error 'order' is neither a path nor an intrinsic
    task({ Resource: fn, End: true, Parameters: { 'order.$': 'order' } });
    task({ Resource: fn, End: true, Parameters: { 'id.$': '$.order.id', 'msg.$': States.Format('order {}', '$.order.id') } });
  });

  test('TimeoutSeconds and TimeoutSecondsPath are exclusive', () => {
    // @ts-expect-error both forms of the timeout
    task({ Resource: fn, End: true, TimeoutSeconds: 10, TimeoutSecondsPath: '$.timeout' });
  });

  test('integration helpers type their parameters', () => {
    // @ts-expect-error FunctionName is required
    lambdaInvoke({ Payload: {} });
    // @ts-expect-error QueueUrl given twice
    sqsSendMessage({ QueueUrl: 'q', 'QueueUrl.$': '$.q', MessageBody: {} });
    snsPublish({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t', 'Message.$': '$.message' });
  });
});
