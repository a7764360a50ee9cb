import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import { createLambdaRegistry, createLambdaResolver, functionNameOf } from '../../src/integrations/lambda.js';
import { answer, EXECUTION, invocation, rejection } from './support.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const FN_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:ChargePayment';

function setup() {
  const registry = createLambdaRegistry();
  const resolve = createLambdaResolver(registry);
  return { registry, resolve };
}

describe('lambda:invoke', () => {
  it('result is the Invoke envelope with the JSON output under Payload', async () => {
    const { registry, resolve } = setup();
    registry.register('ChargePayment', (event) => ({ charged: (event as { amount: number }).amount }));
    const result = (await answer(resolve(invocation(INVOKE, { FunctionName: 'ChargePayment', Payload: { amount: 42 } })))) as Record<
      string,
      any
    >;
    expect(Object.keys(result)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(result['ExecutedVersion']).toBe('$LATEST');
    expect(result['Payload']).toEqual({ charged: 42 });
    expect(result['StatusCode']).toBe(200);
    expect(result['SdkHttpMetadata'].HttpStatusCode).toBe(200);
    const requestId = result['SdkResponseMetadata'].RequestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result['SdkHttpMetadata'].HttpHeaders['x-amzn-RequestId']).toBe(requestId);
    expect(result['SdkHttpMetadata'].AllHttpHeaders['x-amzn-RequestId']).toEqual([requestId]);
    expect(result['SdkHttpMetadata'].HttpHeaders['Content-Length']).toBe(String('{"charged":42}'.length));
  });

  it('FunctionName may be an ARN, a partial ARN or name:qualifier', async () => {
    const { registry, resolve } = setup();
    registry.register(FN_ARN, () => 'ok');
    for (const FunctionName of [FN_ARN, `${FN_ARN}:7`, '123456789012:function:ChargePayment', 'ChargePayment:live']) {
      const r = (await answer(resolve(invocation(INVOKE, { FunctionName, Payload: {} })))) as Record<string, unknown>;
      expect(r['Payload'], FunctionName).toBe('ok');
    }
    const versioned = (await answer(resolve(invocation(INVOKE, { FunctionName: 'ChargePayment', Qualifier: '7' })))) as Record<
      string,
      unknown
    >;
    expect(versioned['ExecutedVersion']).toBe('7');
    expect(functionNameOf('arn:aws:lambda:us-east-1:123456789012:function:f:prod')).toBe('f');
  });

  it('handler output is JSON round-tripped; undefined becomes null', async () => {
    const { registry, resolve } = setup();
    registry.register('Dates', () => ({ at: new Date(0), drop: undefined, fn: () => 1 }));
    registry.register('Nothing', () => undefined);
    const dates = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Dates' })))) as Record<string, unknown>;
    expect(dates['Payload']).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    const nothing = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Nothing' })))) as Record<string, unknown>;
    expect(nothing['Payload']).toBeNull();
  });

  it('non-JSON output fails with Runtime.MarshalError', async () => {
    const { registry, resolve } = setup();
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    registry.register('Circular', () => circular);
    registry.register('Big', () => ({ n: 1n }));
    for (const FunctionName of ['Circular', 'Big']) {
      const e = (await rejection(resolve(invocation(INVOKE, { FunctionName })))) as StatesError;
      expect(e).toBeInstanceOf(StatesError);
      expect(e.name).toBe('Runtime.MarshalError');
      expect(JSON.parse(e.cause!)).toMatchObject({ errorType: 'Runtime.MarshalError', errorMessage: expect.stringMatching(/^Unable to marshal response: /) });
    }
  });

  it('Payload omitted: the function receives {}', async () => {
    const { registry, resolve } = setup();
    registry.register('Echo', (event) => event);
    const r = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Echo' })))) as Record<string, unknown>;
    expect(r['Payload']).toEqual({});
  });

  it('the handler gets a copy of the event and a Lambda-like context', async () => {
    const { registry, resolve } = setup();
    const payload = { items: [1] };
    let seen: Record<string, unknown> = {};
    registry.register(
      'Ctx',
      async (event, context) => {
        (event as { items: number[] }).items.push(2);
        const before = context.getRemainingTimeInMillis();
        await context.sleep(1500);
        seen = {
          functionName: context.functionName,
          arn: context.invokedFunctionArn,
          requestId: context.awsRequestId,
          before,
          after: context.getRemainingTimeInMillis(),
          state: context.invocation.stateName,
        };
        return null;
      },
      { timeoutMs: 10_000 },
    );
    const r = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Ctx', Payload: payload }, { stateName: 'Charge' })))) as any;
    expect(payload).toEqual({ items: [1] });
    expect(seen).toEqual({
      functionName: 'Ctx',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:Ctx',
      requestId: r.SdkResponseMetadata.RequestId,
      before: 10_000,
      after: 8_500,
      state: 'Charge',
    });
  });

  it('missing FunctionName is States.Runtime "could not be used to start the Task"', async () => {
    const { resolve } = setup();
    const e = (await rejection(resolve(invocation(INVOKE, { Payload: {} }, { stateName: 'Charge' })))) as StatesError;
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("An error occurred while executing the state 'Charge'");
    expect(e.cause).toContain("could not be used to start the Task: [The field 'FunctionName' is required but was missing]");
    const bad = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'x', InvocationType: 'Later' })))) as StatesError;
    expect(bad.name).toBe('States.Runtime');
  });

  it('lambda:invoke.waitForTaskToken is handled the same way', async () => {
    const { registry, resolve } = setup();
    registry.register('Notify', (event) => event);
    const r = (await answer(
      resolve(invocation(`${INVOKE}.waitForTaskToken`, { FunctionName: 'Notify', Payload: { token: 't' } }, { taskToken: 't' })),
    )) as Record<string, unknown>;
    expect(r['Payload']).toEqual({ token: 't' });
  });

  it('other resources are not handled (undefined)', () => {
    const { resolve } = setup();
    expect(resolve(invocation('arn:aws:states:::sqs:sendMessage', {}))).toBeUndefined();
    expect(resolve(invocation('arn:aws:states:::lambda:invoke.sync', {}))).toBeUndefined();
  });
});

describe('legacy Lambda function ARN', () => {
  it('the effective input is the event and the output is the result itself', async () => {
    const { registry, resolve } = setup();
    registry.register('ChargePayment', (event) => ({ ...(event as object), paid: true }));
    const result = await answer(resolve(invocation(FN_ARN, { orderId: 'o1' })));
    expect(result).toEqual({ orderId: 'o1', paid: true });
    expect(await answer(resolve(invocation(`${FN_ARN}:3`, { orderId: 'o2' })))).toEqual({ orderId: 'o2', paid: true });
  });

  it('an unknown function fails with Lambda.ResourceNotFoundException naming the ARN', async () => {
    const { resolve } = setup();
    const e = (await rejection(resolve(invocation(FN_ARN, {})))) as StatesError;
    expect(e.name).toBe('Lambda.ResourceNotFoundException');
    expect(e.cause).toMatch(
      new RegExp(
        `^Function not found: ${FN_ARN} \\(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
      ),
    );
  });
});

describe('function errors', () => {
  class CarrierRateLimited extends Error {
    override name = 'CarrierRateLimited';
  }

  it('a thrown error fails with Error = its name and Cause = {errorType, errorMessage, trace}', async () => {
    const { registry, resolve } = setup();
    registry.register('Ship', async () => {
      throw new CarrierRateLimited('carrier said no');
    });
    const e = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'Ship', Payload: {} })))) as StatesError;
    expect(e).toBeInstanceOf(StatesError);
    expect(e.name).toBe('CarrierRateLimited');
    const cause = JSON.parse(e.cause!);
    expect(Object.keys(cause)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(cause.errorType).toBe('CarrierRateLimited');
    expect(cause.errorMessage).toBe('carrier said no');
    expect(Array.isArray(cause.trace)).toBe(true);
  });

  it('a plain Error is named Error; a synchronous throw is a rejection too', async () => {
    const { registry, resolve } = setup();
    registry.register('Boom', () => {
      throw new Error('boom');
    });
    const pending = resolve(invocation(FN_ARN.replace('ChargePayment', 'Boom'), {}));
    const e = (await rejection(pending)) as StatesError;
    expect(e.name).toBe('Error');
    expect(JSON.parse(e.cause!).errorMessage).toBe('boom');
  });

  it('a thrown StatesError keeps its own name and cause', async () => {
    const { registry, resolve } = setup();
    registry.register('Custom', () => {
      throw new StatesError('PaymentDeclined', 'card_declined');
    });
    const e = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'Custom' })))) as StatesError;
    expect(e.toErrorOutput()).toEqual({ Error: 'PaymentDeclined', Cause: 'card_declined' });
  });
});

describe('injected Lambda service errors', () => {
  it('raise before the handler runs and consume one of `times` each', async () => {
    const { registry, resolve } = setup();
    let calls = 0;
    registry.register('Ship', () => ++calls);
    registry.injectError('Ship', { error: 'Lambda.TooManyRequestsException', times: 2 });
    const first = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'Ship' })))) as StatesError;
    expect(first.name).toBe('Lambda.TooManyRequestsException');
    expect(first.cause).toMatch(/^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; /);
    await rejection(resolve(invocation(INVOKE, { FunctionName: FN_ARN.replace('ChargePayment', 'Ship') })));
    expect(calls).toBe(0);
    const third = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Ship' })))) as Record<string, unknown>;
    expect(third['Payload']).toBe(1);
  });

  it('queue in order, use a given cause, and apply to legacy ARNs', async () => {
    const { registry, resolve } = setup();
    registry.register('ChargePayment', () => 'ok');
    registry
      .injectError(FN_ARN, { error: 'Lambda.ServiceException', cause: 'down', times: 1 })
      .injectError('ChargePayment', { error: 'Lambda.AWSLambdaException', times: 1 });
    expect(((await rejection(resolve(invocation(FN_ARN, {})))) as StatesError).toErrorOutput()).toEqual({
      Error: 'Lambda.ServiceException',
      Cause: 'down',
    });
    expect(((await rejection(resolve(invocation(FN_ARN, {})))) as StatesError).name).toBe('Lambda.AWSLambdaException');
    expect(await answer(resolve(invocation(FN_ARN, {})))).toBe('ok');
  });

  it('without times they persist until clearInjections()', async () => {
    const { registry, resolve } = setup();
    registry.register('F', () => 'ok');
    registry.injectError('F', { error: 'Lambda.ServiceException' });
    for (let i = 0; i < 3; i++) await rejection(resolve(invocation(INVOKE, { FunctionName: 'F' })));
    registry.clearInjections();
    expect(((await answer(resolve(invocation(INVOKE, { FunctionName: 'F' })))) as Record<string, unknown>)['Payload']).toBe('ok');
  });
});

describe('InvocationType', () => {
  it('Event does not wait for the handler: StatusCode 202 and an empty Payload', async () => {
    const { registry, resolve } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seen: unknown[] = [];
    registry.register('Audit', async (event) => {
      await gate;
      seen.push(event);
      throw new Error('async failure');
    });
    const r = (await answer(resolve(invocation(INVOKE, { FunctionName: 'Audit', InvocationType: 'Event', Payload: { a: 1 } })))) as Record<
      string,
      any
    >;
    expect(r['StatusCode']).toBe(202);
    expect(r['Payload']).toBe('');
    expect(r['SdkHttpMetadata'].HttpStatusCode).toBe(202);
    expect(seen).toEqual([]);
    release();
    const errors = await registry.drain();
    expect(seen).toEqual([{ a: 1 }]);
    expect(errors.map((e) => [e.functionName, e.error.name])).toEqual([['Audit', 'Error']]);
  });

  it('DryRun does not run the handler: StatusCode 204', async () => {
    const { registry, resolve } = setup();
    let calls = 0;
    registry.register('F', () => ++calls);
    const r = (await answer(resolve(invocation(INVOKE, { FunctionName: 'F', InvocationType: 'DryRun' })))) as Record<string, unknown>;
    expect(r['StatusCode']).toBe(204);
    expect(calls).toBe(0);
  });
});

describe('abort', () => {
  it('a handler that does not settle is abandoned when the signal aborts (rejects with the reason)', async () => {
    const { registry, resolve } = setup();
    registry.register('Hang', () => new Promise(() => undefined));
    const controller = new AbortController();
    const pending = resolve(invocation(INVOKE, { FunctionName: 'Hang' }, { signal: controller.signal }));
    const reason = new Error('States.Timeout');
    setTimeout(() => controller.abort(reason), 5);
    expect(await rejection(pending)).toBe(reason);
  });

  it('the signal reaches the handler so cooperative handlers stop', async () => {
    const { registry, resolve } = setup();
    let stopped = false;
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    registry.register(
      'Coop',
      (_event, context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => {
            stopped = true;
            reject(new Error('stopped'));
          });
          started();
        }),
    );
    const controller = new AbortController();
    const pending = resolve(invocation(INVOKE, { FunctionName: 'Coop' }, { signal: controller.signal }));
    await running;
    controller.abort('stop');
    expect(await rejection(pending)).toBe('stop');
    expect(stopped).toBe(true);
  });

  it('an already aborted signal does not start the handler', async () => {
    const { registry, resolve } = setup();
    let calls = 0;
    registry.register('F', () => ++calls);
    const controller = new AbortController();
    controller.abort('gone');
    expect(await rejection(resolve(invocation(INVOKE, { FunctionName: 'F' }, { signal: controller.signal })))).toBe('gone');
    expect(calls).toBe(0);
  });
});

describe('registerFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-local-lambda-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a built handler module lazily, once, and runs its export', async () => {
    const file = join(dir, 'charge.mjs');
    writeFileSync(
      file,
      `globalThis.__chargeLoads = (globalThis.__chargeLoads ?? 0) + 1;
       export const handler = async (event, context) => ({ charged: event.amount, fn: context.functionName });
       export const refund = async () => ({ refunded: true });`,
    );
    const { registry, resolve } = setup();
    registry.registerFile('ChargePayment', file).registerFile('RefundPayment', file, 'refund');
    const g = globalThis as { __chargeLoads?: number };
    expect(g.__chargeLoads).toBeUndefined();
    const a = (await answer(resolve(invocation(INVOKE, { FunctionName: 'ChargePayment', Payload: { amount: 5 } })))) as any;
    const b = (await answer(resolve(invocation(INVOKE, { FunctionName: 'ChargePayment', Payload: { amount: 6 } })))) as any;
    expect(a.Payload).toEqual({ charged: 5, fn: 'ChargePayment' });
    expect(b.Payload).toEqual({ charged: 6, fn: 'ChargePayment' });
    expect(await answer(resolve(invocation(FN_ARN.replace('ChargePayment', 'RefundPayment'), {})))).toEqual({ refunded: true });
    expect(g.__chargeLoads).toBe(1);
  });

  it('a missing export fails with Runtime.HandlerNotFound, a missing file with Runtime.ImportModuleError', async () => {
    const file = join(dir, 'empty.mjs');
    writeFileSync(file, 'export const other = 1;');
    const { registry, resolve } = setup();
    registry.registerFile('NoExport', file).registerFile('NoFile', join(dir, 'missing.mjs'));
    const e1 = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'NoExport' })))) as StatesError;
    expect(e1.name).toBe('Runtime.HandlerNotFound');
    expect(JSON.parse(e1.cause!).errorMessage).toContain('empty.mjs.handler is undefined or not exported');
    const e2 = (await rejection(resolve(invocation(INVOKE, { FunctionName: 'NoFile' })))) as StatesError;
    expect(e2.name).toBe('Runtime.ImportModuleError');
  });
});

describe('registry', () => {
  it('names and ARNs register the same function', () => {
    const registry = createLambdaRegistry();
    registry.register(FN_ARN, () => null);
    expect(registry.has('ChargePayment')).toBe(true);
    expect(registry.has(`${FN_ARN}:1`)).toBe(true);
    expect(registry.functionNames()).toEqual(['ChargePayment']);
    expect(registry.unregister('ChargePayment')).toBe(true);
    expect(registry.has(FN_ARN)).toBe(false);
    expect(EXECUTION.region).toBe('eu-west-1');
  });
});

describe('the context and invocation a handler gets from the engine', () => {
  it('their functions also work detached (destructured), on the execution clock', async () => {
    const { localStateMachine } = await import('../../src/local-machine.js');
    const { registry, resolve } = setup();
    registry.register(
      'Detached',
      async (_event, context) => {
        const { getRemainingTimeInMillis, sleep } = context;
        const { now, sleep: invocationSleep } = context.invocation;
        const before = now();
        await sleep(1_000);
        await invocationSleep(500);
        return { elapsed: now() - before, remaining: getRemainingTimeInMillis() };
      },
      { timeoutMs: 10_000 },
    );
    const machine = localStateMachine(
      { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Detached', End: true } } },
      { resolve, startTime: 0 },
    );
    const outcome = await machine.run({});
    expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { elapsed: 1_500, remaining: 8_500 } });
  });
});

describe('localStateMachine input limits', () => {
  it('refuses an input nested deeper than 256 levels, as StartExecution does (InvalidExecutionInput)', async () => {
    const { localStateMachine, InvalidExecutionInputError } = await import('../../src/local-machine.js');
    const machine = localStateMachine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, { resolve: () => undefined });
    const deep = JSON.parse('['.repeat(10_000) + ']'.repeat(10_000));
    expect(() => machine.start(deep)).toThrow(InvalidExecutionInputError);
    expect((await machine.run(JSON.parse('['.repeat(256) + ']'.repeat(256)))).status).toBe('SUCCEEDED');
  });
});
