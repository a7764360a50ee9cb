import { createRequire } from 'node:module';
import { validate } from '@saga/asl';
import { localStateMachine } from '@saga/sfn-local';
import { SagaErrors, SagaSteps, type SagaErrorName } from '@saga/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FulfilmentStack } from '../src/fulfilment-stack.js';
import { ChargePaymentStates, DYNAMODB_RETRY, RefundPaymentStates } from '../src/payment-flows.js';
import { LAMBDA_SERVICE_RETRY, STEP_FUNCTIONS, WorkflowStates } from '../src/workflow.js';
import { configWithBundles, makeFixtureBundles, synthStack, type TerraformJson } from './support/fixtures.js';
import { walk } from './support/walk.js';

type AslValidator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errorsText: (separator?: string) => string };
/** asl-validator (npm v4) mutates its input: it always gets a clone. */
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

type State = Record<string, any>;
type Definition = { StartAt: string; States: Record<string, State>; [k: string]: unknown };

const { dirs, cleanup } = makeFixtureBundles();
afterAll(cleanup);
let stack: FulfilmentStack;
let json: TerraformJson;
let text: string;
let definition: Definition;

beforeAll(() => {
  ({ stack, json } = synthStack(configWithBundles(dirs)));
  text = json.resource['aws_sfn_state_machine']!['order-fulfilment'].definition;
  definition = JSON.parse(text) as Definition;
});

const FORWARD = [SagaSteps.ChargePayment, SagaSteps.ReserveStock, SagaSteps.BookShipment, SagaSteps.EmitReceipt] as const;
const COMPENSATIONS = [SagaSteps.RefundPayment, SagaSteps.ReleaseStock] as const;
const compensateErrors = (Object.keys(SagaErrors) as SagaErrorName[]).filter((e) => SagaErrors[e].onFailure === 'compensate');

/** Every Task state, branch states included, by name. */
function tasks(def: Definition): [string, State][] {
  const out: [string, State][] = [];
  const visit = (states: Record<string, State>) => {
    for (const [name, s] of Object.entries(states)) {
      if (s['Type'] === 'Task') out.push([name, s]);
      for (const b of s['Branches'] ?? []) visit(b.States);
    }
  };
  visit(def.States);
  return out;
}

/** A state's name without the `Through<Step>` of its placement in a parallel compensation. */
const placed = (state: string) => state.replace(/Through(ChargePayment|ReserveStock|BookShipment|EmitReceipt)$/, '');

/** The step or compensation a state belongs to: itself, or the subflow whose branch holds it. */
function stepOf(state: string): string {
  const name = placed(state);
  if ((Object.values(ChargePaymentStates) as string[]).includes(name)) return SagaSteps.ChargePayment;
  if ((Object.values(RefundPaymentStates) as string[]).includes(name)) return SagaSteps.RefundPayment;
  return name;
}

/** The compensation a (branch) state runs: `RefundPaymentIntentThroughReserveStock` → RefundPayment. */
const compensationOf = (state: string) => COMPENSATIONS.find((c) => stepOf(state) === c);

/** The Lambda Tasks of a step or compensation, in the order its branch runs them. */
const lambdaTasksOf = (step: string) =>
  tasks(definition).filter(([n, s]) => s['Resource'] === 'arn:aws:states:::lambda:invoke' && stepOf(n) === step);

/** The states of the top-level machine a walk entered (a subflow's inner states left out). */
const topLevel = (path: string[]) => path.filter((n) => n in definition.States);

/** The distinct compensations a walk ran, sorted (parallel branches have no order). */
const compensationsIn = (path: string[]) => [...new Set(path.map(compensationOf).filter((c) => c !== undefined))].sort();

/** Replaces the Terraform references with ARNs/URLs of the right shape. */
function withFakeArns(raw: string): string {
  return raw
    .replace(/\$\{aws_lambda_function\.([a-z-]+)\.arn\}/g, 'arn:aws:lambda:eu-west-1:123456789012:function:saga-dev-$1')
    .replace(/\$\{aws_sqs_queue\.([a-z-]+)\.url\}/g, 'https://sqs.eu-west-1.amazonaws.com/123456789012/saga-dev-$1')
    .replace(/\$\{aws_sns_topic\.([a-z-]+)\.arn\}/g, 'arn:aws:sns:eu-west-1:123456789012:saga-dev-$1');
}

describe('the synthesized definition', () => {
  it('is the JSON of the saga() definition, with Terraform references for its targets', () => {
    expect(typeof text).toBe('string');
    // The input check comes first: an input without a string order id ends at once (InvalidOrder).
    expect(definition.StartAt).toBe(WorkflowStates.checkInput);
    expect((definition.States[WorkflowStates.checkInput] as { Choices: Array<{ Next: string }> }).Choices[0]!.Next).toBe(SagaSteps.ChargePayment);
    expect(definition.States[WorkflowStates.inputRejected]).toMatchObject({ Type: 'Fail', Error: 'InvalidOrder' });
    // What saga() generated in the stack is exactly what is embedded, up to the tokens cdktf resolved.
    const generated = JSON.stringify(stack.workflow.definition).replace(/\$\{TfToken\[TOKEN\.\d+\]\}/g, '<ref>');
    expect(generated).toContain('<ref>');
    expect(JSON.stringify(definition).replace(/\$\{aws_[a-z_]+\.[a-z-]+\.(arn|url|name)\}/g, '<ref>')).toBe(generated);
  });

  it('passes validate() of @saga/asl', () => {
    expect(validate(definition)).toEqual({ result: 'OK', diagnostics: [] });
    expect(validate(text)).toEqual({ result: 'OK', diagnostics: [] });
  });

  it('passes asl-validator with ARN checks on fake ARNs, and with its ARN check off on the raw references', () => {
    const faked = aslValidator(JSON.parse(withFakeArns(text)), { checkPaths: true, checkArn: true });
    expect(faked.isValid, faked.isValid ? '' : faked.errorsText('\n')).toBe(true);
    const raw = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: false });
    expect(raw.isValid, raw.isValid ? '' : raw.errorsText('\n')).toBe(true);
  });

  it('references exactly the Lambdas, the review queue, the topic and the orders table of the stack', () => {
    const refs = (pattern: RegExp) => [...new Set([...text.matchAll(pattern)].map((m) => m[1]))].sort();
    expect(refs(/\$\{aws_lambda_function\.([^.}]+)\.arn\}/g)).toEqual(Object.keys(json.resource['aws_lambda_function']!).sort());
    expect(refs(/\$\{aws_sqs_queue\.([^.}]+)\.url\}/g)).toEqual(['review']);
    expect(refs(/\$\{aws_sns_topic\.([^.}]+)\.arn\}/g)).toEqual(Object.keys(json.resource['aws_sns_topic']!));
    expect(refs(/\$\{aws_dynamodb_table\.([^.}]+)\.name\}/g)).toEqual(['orders']);
    // No other Terraform reference hides in it.
    const kinds = /^aws_(lambda_function|sqs_queue|sns_topic|dynamodb_table)$/;
    expect([...text.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!.split('.')[0]).filter((t) => !kinds.test(t!))).toEqual([]);
    // Every Lambda Task calls the function of its step.
    for (const [name, state] of tasks(definition)) {
      if (state['Resource'] !== 'arn:aws:states:::lambda:invoke') continue;
      const step = stepOf(name) as keyof typeof STEP_FUNCTIONS;
      expect(state['Parameters'].FunctionName, name).toBe(`\${aws_lambda_function.${STEP_FUNCTIONS[step]}.arn}`);
    }
  });
});

describe('tasks', () => {
  it('every Task has TimeoutSeconds', () => {
    for (const [name, state] of tasks(definition)) expect(state['TimeoutSeconds'], name).toBeGreaterThan(0);
  });

  it('every Lambda Task uses lambdaInvoke with LAMBDA_PAYLOAD_ONLY; every step keeps its result at $.<Step>.Payload', () => {
    const lambdaTasks = tasks(definition).filter(([, s]) => s['Resource'] === 'arn:aws:states:::lambda:invoke');
    // ChargePayment's authorise and capture, 3 steps, AnalyzeError, RefundPaymentIntent ×2 and ReleaseStock in the Parallels
    expect(lambdaTasks.length).toBe(9);
    for (const [name, state] of lambdaTasks) expect(state['ResultSelector'], name).toEqual({ 'Payload.$': '$.Payload' });
    for (const step of FORWARD) {
      const state = definition.States[step]!;
      expect(state['ResultPath'], step).toBe(`$.${step}`);
      // A subflow's one-branch Parallel puts the branch's output where a Lambda step puts the function's.
      expect(state['ResultSelector'], step).toEqual(state['Type'] === 'Parallel' ? { 'Payload.$': '$[0]' } : { 'Payload.$': '$.Payload' });
    }
    expect(definition.States[SagaSteps.ChargePayment]!['Type']).toBe('Parallel');
    expect(definition.States[SagaSteps.AnalyzeError]!['ResultPath']).toBe('$.analysis');
  });

  it('builds the payloads from the order and earlier results, compensations from the order only', () => {
    const payload = (name: string) => (definition.States[name] ?? tasks(definition).find(([n]) => n === name)![1])['Parameters'].Payload;
    expect(payload(ChargePaymentStates.authorise)).toEqual({
      action: 'authorise',
      'order.$': '$.order',
      'record.$': '$.paymentRecord',
      'previous.$': '$.authorisation.Payload',
    });
    expect(payload(ChargePaymentStates.capture)).toEqual({ action: 'capture', 'order.$': '$.order', 'authorisation.$': '$.authorisation.Payload' });
    expect(payload(SagaSteps.ReserveStock)).toEqual({ 'order.$': '$.order' });
    expect(payload(SagaSteps.BookShipment)).toEqual({ 'order.$': '$.order', 'reservation.$': '$.ReserveStock.Payload' });
    expect(payload(SagaSteps.EmitReceipt)).toEqual({
      'order.$': '$.order',
      'payment.$': '$.ChargePayment.Payload',
      'reservation.$': '$.ReserveStock.Payload',
      'shipment.$': '$.BookShipment.Payload',
    });
    // A compensation can run when its own step never returned: it may only read what always exists
    // (RefundPayment: the order, and the payment record its own branch has just read).
    for (const [name, state] of tasks(definition).filter(([n, s]) => compensationOf(n) && s['Resource'] === 'arn:aws:states:::lambda:invoke')) {
      expect(state['Parameters'].Payload, name).toEqual(
        compensationOf(name) === SagaSteps.RefundPayment ? { 'order.$': '$.order', 'record.$': '$.paymentRecord' } : { 'order.$': '$.order' },
      );
    }
    expect(payload(SagaSteps.AnalyzeError)).toEqual({
      'errorInfo.$': '$.errorInfo',
      context: { 'orderId.$': '$.order.orderId', 'failedStep.$': '$failedStep', 'executionArn.$': '$$.Execution.Id' },
    });
  });
});

describe('retry policies', () => {
  /** The Retry of a step's (or compensation's) Lambda Task; a subflow's Lambda Tasks must agree. */
  const retry = (step: string) => {
    const [first, ...rest] = lambdaTasksOf(step).map(([, s]) => s['Retry'] as State[]);
    for (const other of rest) expect(other, step).toEqual(first);
    return first!;
  };

  it('BookShipment retries CarrierRateLimited and timeouts (States.Timeout, and Sandbox.Timedout: the function\'s own) as specified, and Lambda service errors', () => {
    const r = retry(SagaSteps.BookShipment);
    expect(r[0]).toEqual({
      ErrorEquals: ['CarrierRateLimited', 'States.Timeout', 'Sandbox.Timedout'],
      IntervalSeconds: 2,
      BackoffRate: 2.0,
      MaxAttempts: 5,
      MaxDelaySeconds: 60,
      JitterStrategy: 'FULL',
    });
    expect(r).toContainEqual({
      ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
      IntervalSeconds: 1,
      MaxAttempts: 3,
      BackoffRate: 2.0,
    });
  });

  it('every Lambda Task retries the Lambda service errors', () => {
    for (const [name, state] of tasks(definition).filter(([, s]) => s['Resource'] === 'arn:aws:states:::lambda:invoke')) {
      expect(state['Retry'], name).toContainEqual(LAMBDA_SERVICE_RETRY);
    }
  });

  it('every retriable taxonomy error is retried, with exponential backoff and full jitter, by each state that raises it', () => {
    for (const error of (Object.keys(SagaErrors) as SagaErrorName[]).filter((e) => SagaErrors[e].retriable)) {
      const raisers = SagaErrors[error].steps as readonly string[];
      expect(raisers.length, error).toBeGreaterThan(0);
      for (const step of raisers) {
        const retriers = retry(step).filter((r) => r['ErrorEquals'].includes(error));
        expect(retriers, `${step} retries ${error}`).toHaveLength(1);
        expect(retriers[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
        expect(retriers[0]!['MaxAttempts']).toBeGreaterThanOrEqual(3);
        expect(retriers[0]!['MaxDelaySeconds']).toBeGreaterThan(0);
      }
    }
  });

  it('every DynamoDB Task retries throttling and DynamoDB\'s own faults, never a failed condition', () => {
    const dynamoTasks = tasks(definition).filter(([, s]) => String(s['Resource']).startsWith('arn:aws:states:::dynamodb:'));
    expect(dynamoTasks.length).toBe(9); // charge: load, record ×2; refund, in each of its 2 placements: load, record ×2
    for (const [name, state] of dynamoTasks) {
      expect(state['Retry'], name).toEqual([DYNAMODB_RETRY]);
      expect(state['TimeoutSeconds'], name).toBeGreaterThan(0);
    }
    expect(DYNAMODB_RETRY.ErrorEquals).not.toContain('DynamoDB.ConditionalCheckFailedException');
  });

  it('non-retriable taxonomy errors are never retried', () => {
    const nonRetriable = (Object.keys(SagaErrors) as SagaErrorName[]).filter((e) => !SagaErrors[e].retriable);
    for (const [name, state] of tasks(definition)) {
      for (const r of state['Retry'] ?? []) expect(r['ErrorEquals'].filter((e: string) => nonRetriable.includes(e as SagaErrorName)), name).toEqual([]);
    }
  });
});

/** The state a walk fails to fail a step: the step's Task, or a subflow's first Lambda Task. */
const failing = (step: string) => lambdaTasksOf(step)[0]![0];

describe('failure paths', () => {
  const plan = () => stack.workflow.plan;

  it('catches the taxonomy\'s compensate errors, then everything else into AnalyzeError, at every step', () => {
    expect([...plan().compensateErrors].sort()).toEqual([...compensateErrors].sort());
    for (const step of FORWARD) {
      const c = definition.States[step]!['Catch'];
      expect(c).toHaveLength(2);
      expect(c[0]).toMatchObject({ ErrorEquals: compensateErrors, ResultPath: '$.errorInfo', Assign: { failedStep: step } });
      expect(c[1]).toMatchObject({ ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Next: SagaSteps.AnalyzeError });
    }
  });

  it.each(FORWARD.map((s, k) => [s, k] as const))('a known failure at %s compensates exactly the committed steps, then fails', (step, k) => {
    for (const error of compensateErrors) {
      const { path, end, data } = walk(definition, { failures: { [failing(step)]: { error } } });
      expect(compensationsIn(path.slice(path.indexOf(step) + 1)), `${step} ${error}`).toEqual([...plan().steps[k]!.onKnownFailure].sort());
      expect(path).not.toContain(SagaSteps.AnalyzeError);
      expect(path.slice(-2)).toEqual([WorkflowStates.notifyFailure, WorkflowStates.failed]);
      expect(end).toEqual({ type: 'Fail', state: 'OrderFulfillmentFailed', error: 'OrderFulfillmentFailed' });
      expect(data['errorInfo']).toMatchObject({ Error: error });
    }
  });

  it('the committed sets are the ones the design expects', () => {
    expect(plan().steps.map((s) => [s.name, [...s.onKnownFailure].sort()])).toEqual([
      ['ChargePayment', []],
      ['ReserveStock', ['RefundPayment']],
      ['BookShipment', ['RefundPayment', 'ReleaseStock']],
      ['EmitReceipt', ['RefundPayment', 'ReleaseStock']],
    ]);
  });

  it('runs independent compensations together in a Parallel', () => {
    const through = definition.States['CompensateThroughReserveStock']!;
    expect(through['Type']).toBe('Parallel');
    expect(through['Branches'].map((b: State) => compensationOf(b['StartAt'])).sort()).toEqual(['RefundPayment', 'ReleaseStock']);
    expect(through['Catch']).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Assign: { failedStep: 'CompensateThroughReserveStock' }, Next: SagaSteps.AnalyzeError },
    ]);
  });

  it('ends in the Fail state OrderFulfillmentFailed with the error kept at $.errorInfo', () => {
    expect(definition.States['OrderFulfillmentFailed']).toEqual({
      Type: 'Fail',
      Error: 'OrderFulfillmentFailed',
      CausePath: 'States.JsonToString($.errorInfo)',
    });
  });

  it('notifies success and failure on SNS; the failure message carries the error and the analysis', () => {
    const success = definition.States[WorkflowStates.notifySuccess]!;
    expect(success['Resource']).toBe('arn:aws:states:::sns:publish');
    expect(success['Parameters']).toMatchObject({
      TopicArn: '${aws_sns_topic.notifications.arn}',
      'Subject.$': "States.Format('Order {} fulfilled', $.order.orderId)",
    });
    const failure = definition.States[WorkflowStates.notifyFailure]!;
    expect(failure['Parameters'].Message).toMatchObject({ 'errorInfo.$': '$.errorInfo', 'analysis.$': '$..analysis', 'failedStep.$': '$failedStep' });
    expect(failure['Parameters']['Subject.$']).toBe("States.Format('Order {} failed', $.order.orderId)");
    // A lost notification never changes the outcome.
    expect(success['Catch'][0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: WorkflowStates.succeeded });
    expect(failure['Catch'][0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: WorkflowStates.failed });
  });

  it('the happy path runs the four steps, notifies and succeeds', () => {
    const { path, end } = walk(definition);
    expect(topLevel(path)).toEqual([WorkflowStates.checkInput, ...FORWARD, WorkflowStates.notifySuccess, WorkflowStates.succeeded]);
    expect(path.slice(1, path.indexOf(SagaSteps.ReserveStock))).toEqual([SagaSteps.ChargePayment, ...[
      'prepare', 'loadRecord', 'authorise', 'recordIntent', 'checkAuthorisation', 'capture', 'recordCapture', 'captured',
    ].map((k) => ChargePaymentStates[k as keyof typeof ChargePaymentStates])]);
    // (The walk's functions answer { ok }: no `created` round; the next test has it.)
    expect(end.type).toBe('Succeed');
  });
});

describe('the review route', () => {
  const review = () => definition.States[WorkflowStates.review]!;

  it('sends the execution id, task token, error and analysis to the review queue and waits for the token', () => {
    expect(review()).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      TimeoutSeconds: 86_400,
      HeartbeatSeconds: 14_400,
      ResultPath: '$.review',
      Next: WorkflowStates.reviewChoice,
    });
    expect(review()['Parameters']).toEqual({
      QueueUrl: '${aws_sqs_queue.review.url}',
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
    // An expired review compensates.
    expect(review()['Catch']).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.review', Next: 'CompensateFailedStep' }]);
  });

  it('an error outside the taxonomy goes to AnalyzeError, then WaitForHumanReview, then ChooseAfterReview', () => {
    const analysis = definition.States[SagaSteps.AnalyzeError]!;
    expect(analysis['Next']).toBe(WorkflowStates.review);
    expect(analysis['Catch']).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.analysis', Next: WorkflowStates.review }]);
    const choice = definition.States[WorkflowStates.reviewChoice]!;
    expect(choice['Type']).toBe('Choice');
    expect(choice['Default']).toBe('CompensateFailedStep');
  });

  it.each(FORWARD.map((s, k) => [s, k] as const))('after an unknown error at %s: retry re-runs it, compensate undoes the committed steps and it, fail fails', (step, k) => {
    const failures = { [failing(step)]: { error: 'Sandbox.Timedout', times: 1 } };
    const head = [WorkflowStates.checkInput, ...FORWARD.slice(0, k + 1), SagaSteps.AnalyzeError, WorkflowStates.review, WorkflowStates.reviewChoice];

    const retried = walk(definition, { failures, reviews: [{ outcome: 'retry' }] });
    expect(topLevel(retried.path).slice(0, head.length)).toEqual(head);
    expect(topLevel(retried.path).slice(head.length)).toEqual([...FORWARD.slice(k), WorkflowStates.notifySuccess, WorkflowStates.succeeded]);

    const compensated = walk(definition, { failures, reviews: [{ outcome: 'compensate' }] });
    expect(topLevel(compensated.path).slice(0, head.length + 1)).toEqual([...head, 'CompensateFailedStep']);
    expect(compensationsIn(compensated.path)).toEqual([...stack.workflow.plan.steps[k]!.onReviewCompensate].sort());
    expect(compensated.end).toMatchObject({ type: 'Fail', state: 'OrderFulfillmentFailed' });

    const failed = walk(definition, { failures, reviews: [{ outcome: 'fail' }] });
    expect(topLevel(failed.path).slice(head.length)).toEqual([WorkflowStates.notifyFailure, WorkflowStates.failed]);
    expect(compensationsIn(failed.path)).toEqual([]);

    const expired = walk(definition, { failures, reviews: [{ error: 'States.Timeout' }] });
    // No ChooseAfterReview: the review's Catch goes straight to CompensateFailedStep.
    expect(topLevel(expired.path).slice(0, head.length)).toEqual([...head.slice(0, -1), 'CompensateFailedStep']);
    expect(compensationsIn(expired.path)).toEqual([...stack.workflow.plan.steps[k]!.onReviewCompensate].sort());
  });

  it('a retriable error that exhausts its retries is escalated to review, not compensated', () => {
    const { path } = walk(definition, { failures: { [SagaSteps.BookShipment]: { error: 'CarrierRateLimited', times: 1 } }, reviews: [{ outcome: 'retry' }] });
    expect(path).toContain(SagaSteps.AnalyzeError);
    expect(path.at(-1)).toBe(WorkflowStates.succeeded);
  });

  it('a failed compensation goes to review, and retrying it re-runs the compensations', () => {
    const { path, end } = walk(definition, {
      failures: {
        [SagaSteps.BookShipment]: { error: 'CarrierRejected' },
        ReleaseStockThroughReserveStock: { error: 'CompensationFailed', times: 1 },
      },
      reviews: [{ outcome: 'retry' }],
    });
    const review = path.indexOf(WorkflowStates.review);
    expect(path.slice(review - 1, review + 3)).toEqual([SagaSteps.AnalyzeError, WorkflowStates.review, WorkflowStates.reviewChoice, 'CompensateThroughReserveStock']);
    expect(end).toMatchObject({ type: 'Fail', state: 'OrderFulfillmentFailed' });
  });

  it('an unrecognised review outcome compensates', () => {
    const { path } = walk(definition, { failures: { [SagaSteps.ReserveStock]: { error: 'Boom', times: 1 } }, reviews: [{ outcome: 'maybe' }] });
    expect(path).toContain('CompensateFailedStep');
    expect(compensationsIn(path)).toEqual(['RefundPayment', 'ReleaseStock']);
  });
});

describe('the input check', () => {
  it('lets through exactly an object order with a well-formed order id (run by the local engine)', async () => {
    // The check alone: CheckInput, with the rest of the machine reduced to its two ends.
    const check = localStateMachine(
      {
        StartAt: WorkflowStates.checkInput,
        States: {
          [WorkflowStates.checkInput]: definition.States[WorkflowStates.checkInput],
          [SagaSteps.ChargePayment]: { Type: 'Succeed' },
          [WorkflowStates.inputRejected]: definition.States[WorkflowStates.inputRejected],
        },
      } as never,
      { resolve: () => undefined },
    );
    const outcome = async (input: unknown) => (await check.start(input as never).done).status;
    const accepted = ['ord-1', 'A', 'a'.repeat(64), 'ORD_2026-11-22_0001'];
    const refused = ['', 'a'.repeat(65), 'x'.repeat(3000), '-ord', 'ord 1', 'ord#1', 'ordé', 'ord-1\n'];
    for (const orderId of accepted) expect(await outcome({ order: { orderId } }), orderId).toBe('SUCCEEDED');
    for (const orderId of refused) expect(await outcome({ order: { orderId } }), JSON.stringify(orderId)).toBe('FAILED');
    for (const input of [{}, { order: null }, { order: 'ord-1' }, { order: [{ orderId: 'ord-1' }] }, { order: { orderId: 7 } }]) {
      expect(await outcome(input), JSON.stringify(input)).toBe('FAILED');
    }
    const failed = await check.start({ order: { orderId: 'x'.repeat(3000) } } as never).done;
    expect(failed).toMatchObject({ status: 'FAILED', error: 'InvalidOrder' });
  });
});

describe('the payment subflows', () => {
  const charge = () => definition.States[SagaSteps.ChargePayment]!['Branches'][0] as Definition;
  const n = ChargePaymentStates;

  it('ChargePayment records the PaymentIntent between authorise and capture, in the order record, conditionally', () => {
    const states = charge().States;
    expect(states[n.authorise]!['Next']).toBe(n.recordIntent);
    expect(states[n.recordIntent]).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: {
        TableName: '${aws_dynamodb_table.orders.name}',
        Key: { pk: { 'S.$': "States.Format('ORDER#{}', $.order.orderId)" }, sk: { S: 'ORDER' } },
        ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
        ExpressionAttributeValues: {
          ':pi': { 'S.$': '$.authorisation.Payload.paymentIntentId' },
          ':amount': { 'N.$': 'States.JsonToString($.authorisation.Payload.amount)' },
        },
      },
      ResultPath: null,
      Next: n.checkAuthorisation,
    });
    // Another PaymentIntent recorded first: read the record again and let the function yield to it.
    expect(states[n.recordIntent]!['Catch']).toEqual([
      { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.recordConflict', Next: n.loadRecord },
    ]);
    expect(states[n.loadRecord]).toMatchObject({
      Resource: 'arn:aws:states:::dynamodb:getItem',
      Parameters: { ConsistentRead: true },
      ResultPath: '$.paymentRecord',
    });
    // A created PaymentIntent is recorded, then AuthorisePayment confirms it; capture follows a recorded authorisation.
    expect((states[n.checkAuthorisation]!['Choices'] as State[])[0]).toEqual({
      Variable: '$.authorisation.Payload.status',
      StringEquals: 'created',
      Next: n.authorise,
    });
    // The only way to CapturePayment is through the recorded authorisation.
    const into = (target: string) =>
      Object.entries(states).filter(([, s]) => s['Next'] === target || s['Default'] === target || (s['Choices'] ?? []).some((c: State) => c['Next'] === target));
    expect(into(n.capture).map(([name]) => name)).toEqual([n.checkAuthorisation]);
    expect(into(n.checkAuthorisation).map(([name]) => name)).toEqual([n.recordIntent]);
    expect(into(n.authorise).map(([name]) => name).sort()).toEqual([n.checkAuthorisation, n.loadRecord].sort());
  });

  it('a declined authorisation is recorded, then fails the step with PaymentDeclined: compensation, no review', () => {
    const { path, end, data } = walk(definition, {
      results: { [n.authorise]: { status: 'declined', paymentIntentId: 'pi_1', amount: 2999, currency: 'eur', declineReason: 'insufficient_funds' } },
    });
    expect(path.slice(path.indexOf(n.authorise), path.indexOf(n.declined) + 1)).toEqual([n.authorise, n.recordIntent, n.checkAuthorisation, n.declined]);
    expect(path).not.toContain(n.capture);
    expect(path).not.toContain(SagaSteps.AnalyzeError);
    expect(data['errorInfo']).toMatchObject({ Error: 'PaymentDeclined' });
    expect(end).toMatchObject({ type: 'Fail', state: WorkflowStates.failed });
    expect(charge().States[n.declined]).toEqual(expect.objectContaining({ Type: 'Fail', Error: 'PaymentDeclined', CausePath: '$.authorisation.Payload.declineReason' }));
  });

  it('an authorisation found captured already (a retry) is not captured again', () => {
    const { path, end } = walk(definition, {
      results: { [n.authorise]: { status: 'captured', paymentIntentId: 'pi_1', amount: 2999, currency: 'eur' } },
    });
    expect(path).not.toContain(n.capture);
    expect(path.slice(path.indexOf(n.checkAuthorisation), path.indexOf(n.checkAuthorisation) + 3)).toEqual([n.checkAuthorisation, n.captured, SagaSteps.ReserveStock]);
    expect(end.type).toBe('Succeed');
  });

  it('the branch outputs the captured payment, which the saga keeps at $.ChargePayment.Payload', () => {
    expect(charge().States[n.captured]).toEqual({ Type: 'Pass', OutputPath: '$.authorisation.Payload', End: true });
    expect(charge().States[n.capture]).toMatchObject({ ResultPath: '$.authorisation', Next: n.recordCapture });
  });

  it('RefundPayment records a refund or a cancellation; a failed record does not fail the compensation', () => {
    const refund = definition.States['CompensateThroughReserveStock']!['Branches'].find((b: State) => compensationOf(b['StartAt']) === SagaSteps.RefundPayment) as Definition;
    const r = (k: keyof typeof RefundPaymentStates) => `${RefundPaymentStates[k]}ThroughReserveStock`;
    expect(refund.StartAt).toBe(r('loadRecord'));
    expect(refund.States[r('checkOutcome')]).toMatchObject({
      Choices: [
        { Variable: '$.refund.Payload.outcome', StringEquals: 'refunded', Next: r('recordRefund') },
        { Variable: '$.refund.Payload.outcome', StringEquals: 'canceled', Next: r('recordCancellation') },
      ],
      Default: r('done'),
    });
    for (const k of ['recordRefund', 'recordCancellation'] as const) {
      expect(refund.States[r(k)]).toMatchObject({
        Resource: 'arn:aws:states:::dynamodb:updateItem',
        Parameters: { ConditionExpression: 'paymentIntentId = :pi' },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordError', Next: r('done') }],
      });
    }
    const { path, end } = walk(definition, {
      failures: { [SagaSteps.BookShipment]: { error: 'CarrierRejected' }, [r('recordRefund')]: { error: 'DynamoDB.InternalServerErrorException' } },
      results: { [r('refund')]: { outcome: 'refunded', paymentIntentId: 'pi_1', refundId: 're_1' } },
    });
    expect(path).toContain(r('recordRefund'));
    expect(path).not.toContain(SagaSteps.AnalyzeError);
    expect(end).toMatchObject({ type: 'Fail', state: WorkflowStates.failed });
  });
});
