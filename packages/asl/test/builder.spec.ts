import { describe, expect, test } from 'vitest';
import {
  AslValidationError,
  awsSdk,
  bedrockInvokeModel,
  branch,
  choice,
  DslError,
  dynamoDbGetItem,
  dynamoDbPutItem,
  dynamoDbUpdateItem,
  eventBridgePutEvents,
  fail,
  fromDefinition,
  jsonata,
  lambdaInvoke,
  map,
  parallel,
  pass,
  snsPublish,
  sqsSendMessage,
  startExecutionSync,
  stateMachine,
  States,
  succeed,
  task,
  wait,
  withErrors,
} from '../src/index.js';
import type { StateMachineDefinition } from '../src/index.js';
import { independentlyValidate } from './support/independent-validator.js';

const fn = 'arn:aws:lambda:eu-west-1:123456789012:function:charge';

describe('stateMachine()', () => {
  test('renders plain ASL: Type added, undefined fields dropped, in the order given', () => {
    // GIVEN a machine with a task, a choice and both ends
    const machine = stateMachine({
      Comment: 'charge then route',
      StartAt: 'Charge',
      States: {
        Charge: task({
          ...lambdaInvoke({ FunctionName: fn, 'Payload.$': '$.order' }),
          ResultSelector: { 'Payload.$': '$.Payload' },
          ResultPath: '$.payment',
          TimeoutSeconds: 30,
          Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Next: 'Failed' }],
          Comment: undefined,
          Next: 'Route',
        }),
        Route: choice({
          Choices: [{ Variable: '$.payment.Payload.status', StringEquals: 'captured', Next: 'Done' }],
          Default: 'Failed',
        }),
        Done: succeed(),
        Failed: fail({ Error: 'OrderFulfillmentFailed', CausePath: '$.errorInfo.Cause' }),
      },
    });
    // THEN the definition is exactly the ASL
    expect(machine.definition).toStrictEqual({
      Comment: 'charge then route',
      StartAt: 'Charge',
      States: {
        Charge: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: fn, 'Payload.$': '$.order' },
          ResultSelector: { 'Payload.$': '$.Payload' },
          ResultPath: '$.payment',
          TimeoutSeconds: 30,
          Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Next: 'Failed' }],
          Next: 'Route',
        },
        Route: {
          Type: 'Choice',
          Choices: [{ Variable: '$.payment.Payload.status', StringEquals: 'captured', Next: 'Done' }],
          Default: 'Failed',
        },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail', Error: 'OrderFulfillmentFailed', CausePath: '$.errorInfo.Cause' },
      },
    });
    expect(JSON.parse(machine.serialize())).toStrictEqual(machine.definition);
    expect(independentlyValidate(machine.definition).isValid).toBe(true);
  });

  test('the built definition is frozen and detached from the props', () => {
    const States_ = { Only: pass({ Result: { a: 1 }, End: true }) };
    const machine = stateMachine({ StartAt: 'Only', States: States_ });
    (States_.Only as { Result: unknown }).Result = { a: 2 };
    expect(machine.definition.States['Only']).toEqual({ Type: 'Pass', Result: { a: 1 }, End: true });
    expect(Object.isFrozen(machine.definition.States['Only'])).toBe(true);
  });

  test('throws one AslValidationError listing every error', () => {
    const broken = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: fn, Next: 'Nowhere', Retry: [{ ErrorEquals: ['States.ALL'], BackoffRate: 0.5 }] },
        Orphan: { Type: 'Succeed' },
      },
    } as unknown as StateMachineDefinition;
    let error: unknown;
    try {
      fromDefinition(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AslValidationError);
    const diagnostics = (error as AslValidationError).diagnostics.map((d) => `${d.code} ${d.location}`);
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        'MISSING_TRANSITION_TARGET /States/A/Next',
        'SCHEMA_VALIDATION_FAILED /States/A/Retry[0]/BackoffRate',
      ]),
    );
    expect((error as Error).message).toContain("Missing 'Next' target: Nowhere");
  });

  test('an Express machine rejects callbacks', () => {
    expect(() =>
      stateMachine(
        {
          StartAt: 'Ask',
          States: {
            Ask: task({ ...sqsSendMessage({ QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, { waitForTaskToken: true }), End: true }),
          },
        },
        { type: 'EXPRESS' },
      ),
    ).toThrow(AslValidationError);
  });

  test('Parallel branches and Map processors are their own scopes, validated with the machine', () => {
    const machine = stateMachine({
      StartAt: 'Fan',
      States: {
        Fan: parallel({
          Branches: [
            branch({ StartAt: 'Left', States: { Left: pass({ End: true }) } }),
            branch({ StartAt: 'Right', States: { Right: wait({ Seconds: 1, Next: 'RightDone' }), RightDone: succeed() } }),
          ],
          ResultSelector: { 'flat.$': '$[*]' },
          Next: 'Each',
        }),
        Each: map({
          ItemsPath: '$.flat',
          MaxConcurrency: 2,
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
          ItemProcessor: branch({ StartAt: 'Item', States: { Item: pass({ End: true }) } }),
          End: true,
        }),
      },
    });
    expect(independentlyValidate(machine.definition)).toEqual({ isValid: true, errors: '' });
    expect(() =>
      fromDefinition({
        StartAt: 'Fan',
        States: {
          Fan: { Type: 'Parallel', Branches: [{ StartAt: 'Fan', States: { Fan: { Type: 'Pass', End: true } } }], End: true },
        },
      }),
    ).toThrow(/DUPLICATE_STATE_NAME/);
  });

  test('a distributed Map with reader, batcher, writer and tolerated failures', () => {
    const machine = stateMachine({
      StartAt: 'Orders',
      States: {
        Orders: map({
          ItemReader: {
            Resource: 'arn:aws:states:::s3:getObject',
            ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 1000 },
            Parameters: { Bucket: 'orders', Key: 'batch.csv' },
          },
          ItemBatcher: { MaxItemsPerBatch: 50 },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'orders', Prefix: 'results' } },
          ToleratedFailurePercentage: 5,
          ToleratedFailureCount: 10,
          MaxConcurrency: 100,
          Label: 'OrderBatch',
          ItemProcessor: branch({
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
            StartAt: 'Charge',
            States: { Charge: task({ ...lambdaInvoke({ FunctionName: fn, 'Payload.$': '$' }), End: true }) },
          }),
          End: true,
        }),
      },
    });
    expect(machine.definition.States['Orders']).toMatchObject({ ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' } } });
    expect(independentlyValidate(machine.definition)).toEqual({ isValid: true, errors: '' });
  });

  test('a JSONata machine with Arguments, Output, Assign and a Condition', () => {
    const machine = stateMachine({
      QueryLanguage: 'JSONata',
      StartAt: 'Charge',
      States: {
        Charge: task({
          ...lambdaInvoke.jsonata({ FunctionName: fn, Payload: '{% $states.input.order %}' }),
          Assign: { paymentId: '{% $states.result.Payload.paymentIntentId %}' },
          Output: '{% $merge([$states.input, {"payment": $states.result.Payload}]) %}',
          Next: 'Check',
        }),
        Check: choice({
          Choices: [{ Condition: jsonata('$paymentId != null'), Next: 'Done' }],
          Default: 'Failed',
        }),
        Done: succeed({ Output: '{% $states.input.payment %}' }),
        Failed: fail({ Error: 'PaymentMissing' }),
      },
    });
    expect(machine.definition.States['Charge']).toMatchObject({ QueryLanguage: 'JSONata', Arguments: { FunctionName: fn } });
    expect(independentlyValidate(machine.definition)).toEqual({ isValid: true, errors: '' });
  });
});

describe('integration helpers', () => {
  test('render the optimized integration resources and parameters', () => {
    expect(lambdaInvoke({ FunctionName: fn, Payload: { a: 1 } })).toEqual({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: fn, Payload: { a: 1 } },
    });
    expect(sqsSendMessage({ QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, { waitForTaskToken: true }).Resource).toBe(
      'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
    );
    expect(snsPublish({ TopicArn: 't', Message: 'hi' }).Resource).toBe('arn:aws:states:::sns:publish');
    expect(eventBridgePutEvents([{ Source: 's', DetailType: 'd', 'Detail.$': '$' }])).toEqual({
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ Source: 's', DetailType: 'd', 'Detail.$': '$' }] },
    });
    expect(dynamoDbPutItem({ TableName: 't', Item: { pk: { S: 'x' } } }).Resource).toBe('arn:aws:states:::dynamodb:putItem');
    expect(dynamoDbGetItem({ TableName: 't', Key: { pk: { S: 'x' } } }).Resource).toBe('arn:aws:states:::dynamodb:getItem');
    expect(dynamoDbUpdateItem({ TableName: 't', Key: { pk: { S: 'x' } }, UpdateExpression: 'SET a = :a' }).Resource).toBe(
      'arn:aws:states:::dynamodb:updateItem',
    );
    expect(bedrockInvokeModel({ ModelId: 'm', Body: {} }).Resource).toBe('arn:aws:states:::bedrock:invokeModel');
    expect(startExecutionSync({ StateMachineArn: 'arn', 'Input.$': '$' }).Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(awsSdk('secretsmanager', 'getSecretValue', { SecretId: 's' }).Resource).toBe(
      'arn:aws:states:::aws-sdk:secretsmanager:getSecretValue',
    );
  });

  test('a callback whose payload never passes the task token is refused where it is written', () => {
    expect(() => sqsSendMessage({ QueueUrl: 'q', MessageBody: { a: 1 } }, { waitForTaskToken: true })).toThrow(DslError);
    expect(() => lambdaInvoke({ FunctionName: fn, Payload: {} }, { waitForTaskToken: true })).toThrow(/CallbackWithoutToken/);
  });

  test('aws-sdk refuses malformed service and action names', () => {
    expect(() => awsSdk('SecretsManager', 'getSecretValue')).toThrow(/InvalidArgument/);
    expect(() => awsSdk('s3', 'GetObject')).toThrow(/camelCase/);
  });
});

describe('intrinsic builders', () => {
  test('quote and escape literals, keep paths and nested calls', () => {
    expect(States.Format("it's {} {}", '$.a', 3)).toBe("States.Format('it\\'s {} {}', $.a, 3)");
    expect(States.Array('{x}')).toBe("States.Array('\\{x\\}')");
    expect(States.JsonToString('$.errorInfo')).toBe('States.JsonToString($.errorInfo)');
    expect(States.ArrayGetItem(States.StringSplit('$.s', ','), 0)).toBe("States.ArrayGetItem(States.StringSplit($.s, ','), 0)");
    expect(States.UUID()).toBe('States.UUID()');
  });
});

describe('withErrors()', () => {
  test('types only: the runtime factories are the plain ones', () => {
    const b = withErrors(['PaymentDeclined'] as const);
    const t = b.task({ Resource: fn, Catch: [{ ErrorEquals: ['PaymentDeclined'], Next: 'X' }], End: true });
    expect(t).toEqual(task({ Resource: fn, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }], End: true }) && t);
    expect(b.stateMachine).toBe(stateMachine);
  });
});
