import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  ListStateMachinesCommand,
  SFNServiceException,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { LAMBDA_PAYLOAD_ONLY, lambdaInvoke, saga, snsPublish, validate, type JsonValue } from '@saga/asl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskResolver } from '../../src/integrations/types.js';
import { ROLE_ARN, startServer, type TestServer } from './support.js';
import { seededRandom } from '../../src/random.js';

/**
 * Issue #7, bad input: malformed definitions through the engine's CreateStateMachine, with
 * @aws-sdk/client-sfn. A seeded corpus of mutations of a fulfilment saga (built with `saga()` as the
 * product builds its own): every invalid one is answered `InvalidDefinition` listing the validator's
 * error codes (or ValidationException for what the API shape refuses: empty, over 1 MB), every
 * valid one is created; ValidateStateMachineDefinition agrees with validate(); nothing crashes and
 * nothing is left behind. The validator side of the corpus is packages/asl/test/malformed-definitions.spec.ts.
 */

const SEED = 20_260_707;

const prng = seededRandom;

type Obj = { [key: string]: JsonValue };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const fn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const step = (name: string) => lambdaInvoke({ FunctionName: fn(name), Payload: { 'order.$': '$.order' } });
const taxonomy = {
  PaymentDeclined: { retriable: false, onFailure: 'compensate' },
  OutOfStock: { retriable: false, onFailure: 'compensate' },
  InvalidOrder: { retriable: false, onFailure: 'compensate' },
  CarrierRateLimited: { retriable: true, onFailure: 'escalate' },
} as const;
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';

function fulfilment(compensation: 'parallel' | 'sequential'): Obj {
  const { definition } = saga<keyof typeof taxonomy>({
    errors: taxonomy,
    compensation,
    steps: [
      { name: 'ChargePayment', invoke: step('charge'), resultSelector: LAMBDA_PAYLOAD_ONLY, timeoutSeconds: 30, compensation: { name: 'RefundPayment', invoke: step('refund'), timeoutSeconds: 30 } },
      { name: 'ReserveStock', invoke: step('reserve'), resultSelector: LAMBDA_PAYLOAD_ONLY, timeoutSeconds: 30, compensation: { name: 'ReleaseStock', invoke: step('release'), timeoutSeconds: 30 } },
      {
        name: 'BookShipment',
        invoke: step('book'),
        timeoutSeconds: 20,
        retry: [{ ErrorEquals: ['CarrierRateLimited'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }],
      },
      { name: 'EmitReceipt', invoke: step('emit'), timeoutSeconds: 20 },
    ],
    analysis: { name: 'AnalyzeError', invoke: step('analyze'), timeoutSeconds: 60 },
    review: { queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/review', context: { 'orderId.$': '$.order.orderId' }, timeoutSeconds: 86_400, heartbeatSeconds: 3_600 },
    onSuccess: { name: 'NotifySuccess', invoke: snsPublish({ TopicArn: TOPIC, 'Message.$': '$.order.orderId' }), timeoutSeconds: 10 },
    onFailure: { name: 'NotifyFailure', invoke: snsPublish({ TopicArn: TOPIC, 'Message.$': '$.order.orderId' }), timeoutSeconds: 10 },
  });
  return clone(definition) as unknown as Obj;
}

function allStates(def: Obj): Obj[] {
  const out: Obj[] = [];
  const scopes: Obj[] = [def];
  while (scopes.length > 0) {
    const scope = scopes.pop()!;
    if (!isObj(scope['States'])) continue;
    for (const state of Object.values(scope['States'])) {
      if (!isObj(state)) continue;
      out.push(state);
      if (Array.isArray(state['Branches'])) for (const b of state['Branches']) if (isObj(b)) scopes.push(b);
    }
  }
  return out;
}

interface Input {
  kind: string;
  /** The definition text sent. */
  text: string;
  /** Mutations that are invalid by construction: the API must refuse them whatever validate() says. */
  invalid: boolean;
}

function corpus(seed: number): Input[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const bases = [fulfilment('parallel'), fulfilment('sequential')];
  const out: Input[] = [];
  const mutate = (kind: string, invalid: boolean, edit: (def: Obj, states: Obj[]) => void) => {
    const def = clone(pick(bases));
    edit(def, allStates(def));
    out.push({ kind, text: JSON.stringify(def), invalid });
  };
  for (let round = 0; round < 12; round++) {
    mutate('delete StartAt', true, (d) => delete d['StartAt']);
    mutate('delete a Type', true, (_, s) => delete pick(s)['Type']);
    mutate('delete a Resource', true, (_, s) => delete pick(s.filter((x) => x['Type'] === 'Task'))['Resource']);
    mutate('delete a Next', true, (_, s) => delete pick(s.filter((x) => typeof x['Next'] === 'string' && x['Type'] !== 'Choice'))['Next']);
    mutate('dangling Next', true, (_, s) => (pick(s.filter((x) => typeof x['Next'] === 'string'))['Next'] = `Nowhere${round}`));
    mutate('dangling StartAt', true, (d) => (d['StartAt'] = 'Nowhere'));
    mutate('wrong TimeoutSeconds', true, (_, s) => (pick(s.filter((x) => 'TimeoutSeconds' in x))['TimeoutSeconds'] = pick(['30', -1, 0, 1.5, true])));
    mutate('wrong Type', true, (_, s) => (pick(s)['Type'] = pick(['Lambda', 5, 'task', null])));
    mutate('wrong Retry', true, (_, s) => (pick(s.filter((x) => x['Type'] === 'Task'))['Retry'] = pick([{}, 'x', [5], [{ ErrorEquals: [] }], [{ ErrorEquals: ['X'], BackoffRate: 0.5 }]])));
    mutate('bad ResultPath', true, (_, s) => (pick(s.filter((x) => x['Type'] === 'Task'))['ResultPath'] = pick(['no-dollar', '$.', '$..a', '$.a[?(@.b)]', '$.*'])));
    mutate('bad path in a template', true, (_, s) => {
      const params = s.flatMap((x) => (isObj(x['Parameters']) ? [x['Parameters']] : []));
      pick(params)[`bad${round}.$`] = pick(['not a path', '$.', '$[', '$$.']);
    });
    mutate('bad intrinsic', true, (_, s) => {
      const params = s.flatMap((x) => (isObj(x['Parameters']) ? [x['Parameters']] : []));
      pick(params)[`bad${round}.$`] = pick(["States.Format('{}'", 'States.Nope($)', 'States.Format()', 'States.UUID(1)', 'States.']);
    });
    mutate('cycle without a terminal state', true, (d) => {
      const start = d['StartAt'] as string;
      for (const [name, state] of Object.entries(d['States'] as Obj)) {
        if (!isObj(state)) continue;
        if (state['Type'] === 'Succeed' || state['Type'] === 'Fail') (d['States'] as Obj)[name] = { Type: 'Pass', Next: start };
        else if (state['End'] === true) {
          delete state['End'];
          state['Next'] = start;
        }
      }
    });
    mutate('unknown field', true, (_, s) => (pick(s)[pick(['Foo', 'next', 'Retries'])] = 1));
    {
      // As text: JSON.stringify cannot write values thousands of levels deep.
      const def = clone(pick(bases));
      (def['States'] as Obj)['ChargePayment'] = { Type: 'Pass', Result: '__DEEP__', Next: 'ReserveStock' };
      const depth = 300 + round * 1_000;
      out.push({ kind: `a Pass Result ${depth} deep`, text: JSON.stringify(def).replace('"__DEEP__"', '['.repeat(depth) + ']'.repeat(depth)), invalid: true });
    }
  }
  const text = JSON.stringify(bases[0]);
  for (let i = 0; i < 40; i++) out.push({ kind: 'JSON text cut short', text: text.slice(0, 1 + Math.floor(rnd() * (text.length - 2))), invalid: true });
  for (const t of ['not json', '[]', 'null', '"x"', '{}', `\ufeff${text}`, `${text},`, text.replace(/"/g, "'"), ' ']) out.push({ kind: 'not a JSON object', text: t, invalid: true });
  out.push({ kind: 'over 1 MB', text: JSON.stringify({ ...bases[0], Comment: 'x'.repeat(1_100_000) }), invalid: true });
  out.push({ kind: 'empty', text: '', invalid: true });
  for (let i = 0; i < 150; i++) {
    const def = clone(pick(bases));
    const states = allStates(def);
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      const target = pick(states);
      const keys = Object.keys(target);
      const key = pick(keys);
      const r = rnd();
      if (r < 0.4) delete target[key];
      else target[key] = pick<JsonValue>([null, 0, -1, 'x', '$.x', [], {}, true, 1.5, 'States.ALL', [{}], { Next: 'Nowhere' }]);
    }
    out.push({ kind: 'random mutation', text: JSON.stringify(def), invalid: false });
  }
  return out;
}

let server: TestServer;
const internalErrors: unknown[] = [];
const invocations: string[] = [];
const recording: TaskResolver = (invocation) => {
  invocations.push(invocation.resource);
  return Promise.resolve({});
};

beforeAll(async () => {
  server = await startServer({ resolve: recording, onError: (e) => internalErrors.push(e) });
});
afterAll(async () => {
  await server?.close();
});

describe('malformed definitions at CreateStateMachine (@aws-sdk/client-sfn)', () => {
  it('are answered InvalidDefinition with the validator’s codes; valid ones are created; no crash, nothing left behind', async () => {
    const inputs = corpus(SEED);
    const crashes: string[] = [];
    const wrong: string[] = [];
    let refused = 0;
    let created = 0;
    for (const [i, input] of inputs.entries()) {
      const label = `#${i} ${input.kind}`;
      const local = validate(input.text);
      const tooLong = input.text.length > 1_048_576 || input.text.length === 0;
      if (input.invalid && local.result === 'OK' && !tooLong) wrong.push(`${label}: validate() accepts it`);
      try {
        const out = await server.client.send(new CreateStateMachineCommand({ name: `m-${i}`, definition: input.text, roleArn: ROLE_ARN }));
        created++;
        if (input.invalid || local.result === 'FAIL' || tooLong) wrong.push(`${label}: created`);
        await server.client.send(new DeleteStateMachineCommand({ stateMachineArn: out.stateMachineArn }));
      } catch (e) {
        if (!(e instanceof SFNServiceException) || (e.$metadata.httpStatusCode ?? 500) >= 500) {
          crashes.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
          continue;
        }
        refused++;
        const expected = tooLong ? 'ValidationException' : 'InvalidDefinition';
        if (e.name !== expected) wrong.push(`${label}: ${e.name} (expected ${expected}): ${e.message.slice(0, 200)}`);
        if (e.name === 'InvalidDefinition') {
          if (!e.message.startsWith('Invalid State Machine Definition: ')) wrong.push(`${label}: message ${e.message.slice(0, 100)}`);
          for (const d of local.diagnostics.filter((x) => x.severity === 'ERROR')) {
            if (!e.message.includes(d.code)) wrong.push(`${label}: ${d.code} not in the message`);
          }
        }
      }
      if (!tooLong && i % 3 === 0) {
        const answer = await server.client.send(new ValidateStateMachineDefinitionCommand({ definition: input.text, maxResults: 100 }));
        // The API leaves `location` out for the definition as a whole (validate()'s '').
        const errors = local.diagnostics.filter((d) => d.severity === 'ERROR').slice(0, 100);
        const theirs = JSON.stringify(answer.diagnostics?.map((d) => [d.code, d.location ?? '']));
        const ours = JSON.stringify(errors.map((d) => [d.code, d.location]));
        if (answer.result !== local.result || theirs !== ours) {
          wrong.push(`${label}: ValidateStateMachineDefinition disagrees with validate(): ${theirs} vs ${ours}`);
        }
      }
    }
    const left = (await server.client.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const sideEffects = left.length + invocations.length;
    console.log(
      `CreateStateMachine: ${inputs.length} definitions tried (seed ${SEED}), ${refused} refused, ${created} valid ones created and deleted, ` +
        `${crashes.length} crashes, ${internalErrors.length} internal errors, ${sideEffects} side effects, ${wrong.length} wrong answers`,
    );
    expect(inputs.length).toBeGreaterThanOrEqual(350);
    expect(crashes).toEqual([]);
    expect(internalErrors).toEqual([]);
    expect(wrong).toEqual([]);
    expect(sideEffects).toBe(0);
    expect(refused).toBeGreaterThanOrEqual(inputs.filter((x) => x.invalid).length);
  });
});
