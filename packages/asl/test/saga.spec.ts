import { describe, expect, test } from 'vitest';
import type { JsonPathTaskState, ParallelState } from '../src/index.js';
import type { Branch, ChoiceState } from '../src/index.js';
import { DslError, saga, validate } from '../src/index.js';
import { buildFulfilmentSaga, fulfilmentSagaProps, taxonomy, type TestError } from '../examples/fulfilment-saga.js';
import { independentlyValidate } from './support/independent-validator.js';
import { walk } from './support/walk.js';

const STEPS = ['ChargePayment', 'ReserveStock', 'BookShipment', 'EmitReceipt'] as const;
const COMPENSATIONS = ['RefundPayment', 'ReleaseStock', 'CancelShipment'] as const;
const compensateErrors = Object.entries(taxonomy)
  .filter(([, t]) => t.onFailure === 'compensate')
  .map(([name]) => name);

describe('saga(): the generated machine', () => {
  const { definition, plan } = buildFulfilmentSaga();

  test('is valid for our validator and for asl-validator', () => {
    expect(validate(definition).diagnostics.filter((d) => d.severity === 'ERROR')).toEqual([]);
    expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
  });

  test('chains the steps forward to the success notification', () => {
    const { path, end } = walk(definition);
    expect(path).toEqual([...STEPS, 'NotifySuccess', 'OrderFulfilled']);
    expect(end.type).toBe('Succeed');
  });

  test('every step has a timeout, its retry policy, and catches known then unknown errors', () => {
    STEPS.forEach((name, k) => {
      const state = definition.States[name] as JsonPathTaskState;
      expect(state.TimeoutSeconds).toBeGreaterThan(0);
      expect(state.Retry?.length).toBeGreaterThan(0);
      const expectedEntry = ['NotifyFailure', 'RefundPayment', 'ReleaseStock', 'CancelShipment'][k];
      expect(state.Catch).toEqual([
        { ErrorEquals: compensateErrors, ResultPath: '$.errorInfo', Assign: { failedStep: name }, Next: expectedEntry },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Assign: { failedStep: name }, Next: 'AnalyzeError' },
      ]);
    });
  });

  test('BookShipment keeps the declared retry policy verbatim', () => {
    expect((definition.States['BookShipment'] as JsonPathTaskState).Retry?.[0]).toEqual({
      ErrorEquals: ['CarrierRateLimited', 'States.Timeout'],
      IntervalSeconds: 2,
      BackoffRate: 2,
      MaxAttempts: 5,
      MaxDelaySeconds: 60,
      JitterStrategy: 'FULL',
    });
  });

  test.each(STEPS.map((s, k) => [s, k] as const))(
    'a known failure at %s runs the compensations of the earlier steps only, in reverse',
    (step, k) => {
      const { path, end } = walk(definition, { failures: { [step]: { error: 'OutOfStock' } } });
      const expected = COMPENSATIONS.slice(0, k).reverse();
      expect(path.filter((s) => (COMPENSATIONS as readonly string[]).includes(s))).toEqual(expected);
      expect(plan.steps[k]!.onKnownFailure).toEqual(expected);
      expect(path.slice(path.indexOf(step) + 1)).toEqual([...expected, 'NotifyFailure', 'OrderFulfillmentFailed']);
      expect(end).toEqual({ type: 'Fail', state: 'OrderFulfillmentFailed', error: 'OrderFulfillmentFailed' });
      expect(path).not.toContain('AnalyzeError');
    },
  );

  test('a transient error that retries absorb does not leave the forward path', () => {
    const { path } = walk(definition, { failures: { BookShipment: { error: 'CarrierRateLimited', times: 4 } } });
    expect(path).toEqual([...STEPS, 'NotifySuccess', 'OrderFulfilled']);
  });

  test('a transient error that outlasts its retries compensates', () => {
    const { path } = walk(definition, { failures: { BookShipment: { error: 'CarrierRateLimited', times: 6 } } });
    expect(path.slice(2)).toEqual(['BookShipment', 'ReleaseStock', 'RefundPayment', 'NotifyFailure', 'OrderFulfillmentFailed']);
  });

  test.each(['CarrierResponseInvalid', 'SomethingNobodyDeclared', 'States.Timeout'])(
    'an error outside the compensate taxonomy (%s) goes to analysis and human review',
    (error) => {
      const { path, variables } = walk(definition, {
        failures: { BookShipment: { error, times: 99 } },
        reviews: [{ outcome: 'fail' }],
      });
      expect(path.slice(2, 6)).toEqual(['BookShipment', 'AnalyzeError', 'WaitForHumanReview', 'ChooseAfterReview']);
      expect(variables['failedStep']).toBe('BookShipment');
    },
  );

  test('review outcome retry re-enters the failed step', () => {
    const { path, end } = walk(definition, {
      failures: { BookShipment: { error: 'CarrierResponseInvalid', times: 1 } },
      reviews: [{ outcome: 'retry' }],
    });
    expect(path).toEqual([
      'ChargePayment', 'ReserveStock', 'BookShipment', 'AnalyzeError', 'WaitForHumanReview', 'ChooseAfterReview',
      'BookShipment', 'EmitReceipt', 'NotifySuccess', 'OrderFulfilled',
    ]);
    expect(end.type).toBe('Succeed');
  });

  test('review outcome compensate undoes the committed steps and the failed one (its outcome is unknown)', () => {
    const { path, end } = walk(definition, {
      failures: { BookShipment: { error: 'CarrierResponseInvalid' } },
      reviews: [{ outcome: 'compensate' }],
    });
    expect(path.slice(path.indexOf('ChooseAfterReview'))).toEqual([
      'ChooseAfterReview', 'CompensateFailedStep', 'CancelShipment', 'ReleaseStock', 'RefundPayment', 'NotifyFailure', 'OrderFulfillmentFailed',
    ]);
    expect(plan.steps[2]!.onReviewCompensate).toEqual(['CancelShipment', 'ReleaseStock', 'RefundPayment']);
    expect(end.error).toBe('OrderFulfillmentFailed');
  });

  test('review outcome fail ends the order without compensating', () => {
    const { path, end } = walk(definition, {
      failures: { ReserveStock: { error: 'Boom' } },
      reviews: [{ outcome: 'fail' }],
    });
    expect(path.slice(path.indexOf('ChooseAfterReview'))).toEqual(['ChooseAfterReview', 'NotifyFailure', 'OrderFulfillmentFailed']);
    expect(end.type).toBe('Fail');
  });

  test('an expired review (timeout) or an unrecognised outcome compensates', () => {
    for (const review of [{ error: 'States.Timeout' }, { outcome: 'maybe' }]) {
      const { path } = walk(definition, { failures: { ReserveStock: { error: 'Boom' } }, reviews: [review] });
      expect(path.slice(path.indexOf('CompensateFailedStep'))).toEqual([
        'CompensateFailedStep', 'ReleaseStock', 'RefundPayment', 'NotifyFailure', 'OrderFulfillmentFailed',
      ]);
    }
  });

  test('a failing compensation escalates to review instead of being swallowed', () => {
    const { path, variables } = walk(definition, {
      failures: { EmitReceipt: { error: 'InvalidOrder' }, ReleaseStock: { error: 'Lambda.Unknown', times: 1 } },
      reviews: [{ outcome: 'retry' }],
    });
    expect(path.slice(path.indexOf('EmitReceipt'))).toEqual([
      'EmitReceipt', 'CancelShipment', 'ReleaseStock', 'AnalyzeError', 'WaitForHumanReview', 'ChooseAfterReview',
      'ReleaseStock', 'RefundPayment', 'NotifyFailure', 'OrderFulfillmentFailed',
    ]);
    expect(variables['failedStep']).toBe('ReleaseStock');
  });

  test('compensate on the review of a failed compensation runs it again, then the rest: nothing stays held', () => {
    const { path } = walk(definition, {
      failures: { EmitReceipt: { error: 'InvalidOrder' }, ReleaseStock: { error: 'Lambda.Unknown', times: 1 } },
      reviews: [{ outcome: 'compensate' }],
    });
    expect(path.slice(path.indexOf('CompensateFailedStep'))).toEqual([
      'CompensateFailedStep', 'ReleaseStock', 'RefundPayment', 'NotifyFailure', 'OrderFulfillmentFailed',
    ]);
  });

  test('a review of a failed compensation that expires runs it again too (the Catch compensates)', () => {
    const review = definition.States['WaitForHumanReview'] as JsonPathTaskState;
    expect(review.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'CompensateFailedStep' })]);
    const choice = definition.States['CompensateFailedStep'] as unknown as { Choices: Array<{ StringEquals?: string; Next: string }> };
    for (const compensation of ['RefundPayment', 'ReleaseStock']) {
      expect(choice.Choices.find((c) => c.StringEquals === compensation)?.Next).toBe(compensation);
    }
  });

  test('the review message carries the token, the execution, the error, the analysis and the declared context', () => {
    const review = definition.States['WaitForHumanReview'] as JsonPathTaskState;
    expect(review.Resource).toBe('arn:aws:states:::sqs:sendMessage.waitForTaskToken');
    expect(review.Parameters).toEqual({
      QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/review',
      MessageBody: {
        'orderId.$': '$.order.orderId',
        'executionArn.$': '$$.Execution.Id',
        'taskToken.$': '$$.Task.Token',
        'failedStep.$': '$failedStep',
        'errorInfo.$': '$.errorInfo',
        'analysis.$': '$.analysis',
        'requestedAt.$': '$$.State.EnteredTime',
      },
    });
    expect(review.TimeoutSeconds).toBe(86_400);
    expect(review.HeartbeatSeconds).toBe(3_600);
  });

  test('the Fail state names the error and keeps the original error as its cause', () => {
    expect(definition.States['OrderFulfillmentFailed']).toEqual({
      Type: 'Fail',
      Error: 'OrderFulfillmentFailed',
      CausePath: 'States.JsonToString($.errorInfo)',
    });
  });
});

describe('saga() with an input check', () => {
  const { definition } = saga({
    ...fulfilmentSagaProps(),
    inputCheck: {
      condition: { And: [{ Variable: '$.order.orderId', IsPresent: true }, { Variable: '$.order.orderId', IsString: true }] },
      error: 'InvalidOrder',
      cause: 'no order id',
    },
  });

  test('starts with the check: a passing input goes to the first step, any other ends at its Fail', () => {
    expect(definition.StartAt).toBe('CheckInput');
    expect(definition.States['CheckInput']).toMatchObject({ Type: 'Choice', Choices: [{ Next: 'ChargePayment' }], Default: 'InputRejected' });
    expect(definition.States['InputRejected']).toEqual({ Type: 'Fail', Error: 'InvalidOrder', Cause: 'no order id' });
    expect(validate(definition).result).toBe('OK');
    expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
  });

  test('nothing runs for a rejected input', () => {
    const { path, end } = walk(definition); // the walk's input is {}: no order
    expect(path).toEqual(['CheckInput', 'InputRejected']);
    expect(end).toMatchObject({ type: 'Fail', state: 'InputRejected' });
  });
});

describe('saga() with a JSONata input check', () => {
  const condition = "{% $type($states.input.order) = 'object' and $contains($states.input.order.orderId, /^ord-[0-9]+$/) %}" as const;
  const { definition } = saga({ ...fulfilmentSagaProps(), inputCheck: { condition, error: 'InvalidOrder', cause: 'bad order id' } });

  test('is a JSONata Choice in the JSONPath machine, valid for both validators', () => {
    expect(definition.States['CheckInput']).toEqual({
      Type: 'Choice',
      Comment: 'The input has what the steps read; otherwise nothing runs',
      QueryLanguage: 'JSONata',
      Choices: [{ Condition: condition, Next: 'ChargePayment' }],
      Default: 'InputRejected',
    });
    expect(validate(definition).result).toBe('OK');
    expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
  });
});

describe('saga() with independent compensations', () => {
  const { definition } = buildFulfilmentSaga('parallel');

  test('is valid for both validators', () => {
    expect(validate(definition).result).toBe('OK');
    expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
  });

  test('a known failure at step k runs the compensations of 1..k-1 together in one Parallel', () => {
    const bookShipment = definition.States['BookShipment'] as JsonPathTaskState;
    expect(bookShipment.Catch?.[0]?.Next).toBe('CompensateThroughReserveStock');
    const parallel = definition.States['CompensateThroughReserveStock'] as ParallelState;
    expect(parallel.Branches.map((b) => b.StartAt)).toEqual(['ReleaseStockThroughReserveStock', 'RefundPaymentThroughReserveStock']);
    const { path } = walk(definition, { failures: { BookShipment: { error: 'CarrierRejected' } } });
    expect(path.slice(path.indexOf('BookShipment'))).toEqual([
      'BookShipment', 'CompensateThroughReserveStock', 'ReleaseStockThroughReserveStock', 'RefundPaymentThroughReserveStock',
      'NotifyFailure', 'OrderFulfillmentFailed',
    ]);
  });

  test('a failing compensation in the Parallel escalates to review', () => {
    const { path } = walk(definition, {
      failures: { EmitReceipt: { error: 'InvalidOrder' }, RefundPaymentThroughBookShipment: { error: 'Boom', times: 1 } },
      reviews: [{ outcome: 'retry' }],
    });
    expect(path).toContain('AnalyzeError');
    expect(path.at(-1)).toBe('OrderFulfillmentFailed');
    expect(path.filter((s) => s === 'CompensateThroughBookShipment')).toHaveLength(2);
  });
});

describe('saga() rejects misuse', () => {
  test('a duplicate state name', () => {
    const props = fulfilmentSagaProps();
    const steps = [...props.steps];
    steps[1] = { ...steps[1]!, name: 'ChargePayment' };
    expect(() => saga({ ...props, steps: steps as unknown as typeof props.steps })).toThrow(DslError);
    expect(() => saga({ ...props, steps: steps as unknown as typeof props.steps })).toThrow(/DuplicateStateName: .*'ChargePayment'/);
  });

  test('a step name that collides with a generated state', () => {
    const props = fulfilmentSagaProps();
    expect(() => saga({ ...props, analysis: { ...props.analysis, name: 'WaitForHumanReview' } })).toThrow(/DuplicateStateName/);
  });
});

describe('saga() with subflow steps (a branch of states placed as one Parallel)', () => {
  const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
  const invoke = (name: string) =>
    ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fn(name), 'Payload.$': '$' }, TimeoutSeconds: 10 }) as const;
  const chargeBranch: Branch<TestError> = {
    StartAt: 'AuthorisePayment',
    States: {
      AuthorisePayment: { ...invoke('charge-payment'), ResultPath: '$.payment', Next: 'CheckAuthorisation' },
      CheckAuthorisation: {
        Type: 'Choice',
        Choices: [{ Variable: '$.payment.status', StringEquals: 'declined', Next: 'PaymentDeclined' }],
        Default: 'CapturePayment',
      },
      PaymentDeclined: { Type: 'Fail', Error: 'PaymentDeclined', CausePath: '$.payment.declineReason' },
      CapturePayment: { ...invoke('charge-payment'), OutputPath: '$.Payload', End: true },
    },
  };
  const refundBranch: Branch<TestError> = {
    StartAt: 'LoadRefundRecord',
    States: {
      LoadRefundRecord: { ...invoke('load-record'), ResultPath: '$.record', Next: 'UndoPayment' },
      UndoPayment: { ...invoke('refund-payment'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RefundRecordSkipped' }], End: true },
      RefundRecordSkipped: { Type: 'Succeed' },
    },
  };
  function props(compensation: 'sequential' | 'parallel') {
    const base = fulfilmentSagaProps(compensation);
    const [, ...rest] = base.steps;
    return {
      ...base,
      steps: [
        { name: 'ChargePayment', branch: chargeBranch, compensation: { name: 'RefundPayment', branch: refundBranch } },
        ...rest,
      ] as typeof base.steps,
    };
  }

  describe('sequential compensations', () => {
    const { definition, plan } = saga(props('sequential'));
    const charge = definition.States['ChargePayment'] as ParallelState;

    test('is valid for both validators', () => {
      expect(validate(definition).result).toBe('OK');
      expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
    });

    test("the step is a one-branch Parallel with the branch's output under Payload and a Task step's Catch", () => {
      const taskStep = definition.States['ReserveStock'] as JsonPathTaskState;
      expect(charge).toMatchObject({
        Type: 'Parallel',
        Branches: [chargeBranch],
        ResultSelector: { 'Payload.$': '$[0]' },
        ResultPath: '$.ChargePayment',
        Next: 'ReserveStock',
      });
      expect(charge.Catch?.map((c) => c.ErrorEquals)).toEqual([compensateErrors, ['States.ALL']]);
      expect(charge.Catch?.[1]).toEqual({ ...taskStep.Catch![1], Assign: { failedStep: 'ChargePayment' } });
      expect(charge).not.toHaveProperty('TimeoutSeconds');
    });

    test('a known error raised inside the branch reaches the Catch under its own name', () => {
      const { path, end, variables } = walk(definition, { failures: { CapturePayment: { error: 'PaymentDeclined' } } });
      // (The test walker enters every state of a branch in turn; the interpreter's own tests cover the routing inside.)
      expect(path[0]).toBe('ChargePayment');
      expect(path).not.toContain('AnalyzeError');
      expect(path.slice(path.indexOf('CapturePayment') + 1)).toEqual(['NotifyFailure', 'OrderFulfillmentFailed']);
      expect(end).toMatchObject({ type: 'Fail', error: 'OrderFulfillmentFailed' });
      expect(variables['failedStep']).toBe('ChargePayment');
    });

    test('a subflow compensation runs as a Parallel named after it, once its step has committed', () => {
      expect(definition.States['RefundPayment']).toMatchObject({ Type: 'Parallel', Branches: [refundBranch], ResultPath: null });
      const { path } = walk(definition, { failures: { ReserveStock: { error: 'OutOfStock' } } });
      expect(path.slice(path.indexOf('ReserveStock'))).toEqual([
        'ReserveStock', 'RefundPayment', 'LoadRefundRecord', 'UndoPayment', 'RefundRecordSkipped', 'NotifyFailure', 'OrderFulfillmentFailed',
      ]);
    });

    test("a reviewer's retry re-enters the Parallel (the whole branch), and compensate includes the subflow step", () => {
      const reviewChoice = definition.States['ChooseAfterReview'] as ChoiceState;
      expect(reviewChoice.Choices.map((c) => c.Next)).toContain('ChargePayment');
      expect(reviewChoice.Choices.map((c) => c.Next)).toContain('RefundPayment');
      const { path } = walk(definition, {
        failures: { AuthorisePayment: { error: 'Boom', times: 1 } },
        reviews: [{ outcome: 'retry' }],
      });
      expect(path.filter((s) => s === 'ChargePayment')).toHaveLength(2);
      expect(path.at(-1)).toBe('OrderFulfilled');
      expect(plan.steps[0]).toEqual({ name: 'ChargePayment', onKnownFailure: [], onReviewCompensate: ['RefundPayment'] });
    });
  });

  describe('parallel compensations', () => {
    const { definition } = saga(props('parallel'));

    test('each placement of a subflow compensation gets its own state names, references following', () => {
      expect(validate(definition).result).toBe('OK');
      expect(independentlyValidate(definition)).toEqual({ isValid: true, errors: '' });
      const through = definition.States['CompensateThroughReserveStock'] as ParallelState;
      expect(through.Branches[1]).toEqual({
        StartAt: 'LoadRefundRecordThroughReserveStock',
        States: {
          LoadRefundRecordThroughReserveStock: { ...refundBranch.States['LoadRefundRecord'], Next: 'UndoPaymentThroughReserveStock' },
          UndoPaymentThroughReserveStock: {
            ...refundBranch.States['UndoPayment'],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'RefundRecordSkippedThroughReserveStock' }],
          },
          RefundRecordSkippedThroughReserveStock: { Type: 'Succeed' },
        },
      });
      const first = definition.States['CompensateThroughChargePayment'] as ParallelState;
      expect(first.Branches.map((b) => b.StartAt)).toEqual(['LoadRefundRecordThroughChargePayment']);
    });
  });

  test("a subflow compensation's Retry is kept in parallel compensations, on a Parallel of its own", () => {
    const base = props('parallel');
    const retry = [{ ErrorEquals: ['PaymentProviderUnavailable'], MaxAttempts: 2 }] as const;
    const [first, ...rest] = base.steps;
    const steps = [{ ...first, compensation: { ...first.compensation!, retry } }, ...rest] as typeof base.steps;
    const { definition } = saga({ ...base, steps });
    expect(validate(definition).result).toBe('OK');
    const through = definition.States['CompensateThroughReserveStock'] as ParallelState;
    const refund = through.Branches[1]!;
    expect(refund.StartAt).toBe('RefundPaymentThroughReserveStock');
    expect(refund.States['RefundPaymentThroughReserveStock']).toMatchObject({
      Type: 'Parallel',
      Retry: retry,
      ResultPath: null,
      End: true,
      Branches: [{ StartAt: 'LoadRefundRecordThroughReserveStock' }],
    });
  });

  test('a state inside the branch named like another state is refused', () => {
    const base = props('sequential');
    const clash: Branch<TestError> = { StartAt: 'ReserveStock', States: { ReserveStock: { ...invoke('charge-payment'), End: true } } };
    const steps = [{ ...base.steps[0], branch: clash }, ...base.steps.slice(1)] as unknown as typeof base.steps;
    expect(() => saga({ ...base, steps })).toThrow(/DUPLICATE_STATE_NAME|ReserveStock/);
  });
});
