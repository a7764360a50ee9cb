import type { JsonValue, StateMachineDefinition } from '@saga/asl';
import { StatesError } from '../../src/errors.js';
import type { HistoryEvent } from '../../src/history.js';
import type { TaskInvocation, TaskResolver } from '../../src/integrations/types.js';
import { localStateMachine } from '../../src/local-machine.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
export const QUEUE = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/review`;

export type Handler = (event: JsonValue, invocation: TaskInvocation) => unknown;

/** A named error, as a Lambda handler throws it (`name` becomes the state's Error). */
export function namedError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/**
 * Test resolvers: Lambda functions by name (optimized `lambda:invoke` and plain function ARNs),
 * and SQS/SNS sends recorded in `sent`.
 */
export function testResolvers(handlers: Record<string, Handler>) {
  const sent: { resource: string; input: JsonValue; taskToken?: string }[] = [];
  const calls: Record<string, number> = {};
  const resolve: TaskResolver = (inv) => {
    const p = inv.parsed;
    if (p.kind === 'lambda-function' || (p.kind === 'integration' && p.service === 'lambda')) {
      const params = inv.input as { FunctionName?: string; Payload?: JsonValue };
      const arn = p.kind === 'lambda-function' ? p.functionArn : String(params.FunctionName);
      const name = arn.split(':function:')[1]?.split(':')[0] ?? arn;
      const handler = handlers[name];
      if (!handler) return Promise.reject(new StatesError('Lambda.ResourceNotFoundException', `Function not found: ${arn}`));
      calls[name] = (calls[name] ?? 0) + 1;
      const event = p.kind === 'lambda-function' ? inv.input : (params.Payload ?? {});
      return (async () => {
        try {
          const out = (await handler(event, inv)) ?? null;
          return p.kind === 'lambda-function' ? (out as JsonValue) : ({ Payload: out as JsonValue, StatusCode: 200 } as JsonValue);
        } catch (e) {
          if (e instanceof StatesError) throw e;
          const err = e as Error;
          throw new StatesError(err.name, JSON.stringify({ errorMessage: err.message, errorType: err.name, trace: [] }));
        }
      })();
    }
    if (p.kind === 'integration' && (p.service === 'sqs' || p.service === 'sns' || p.service === 'events')) {
      sent.push({ resource: inv.resource, input: inv.input, ...(inv.taskToken ? { taskToken: inv.taskToken } : {}) });
      return Promise.resolve({ MessageId: `m-${sent.length}` });
    }
    return undefined;
  };
  return { resolve, sent, calls };
}

export function machine(definition: StateMachineDefinition | object, handlers: Record<string, Handler> = {}, seed = 1) {
  const r = testResolvers(handlers);
  const m = localStateMachine(definition as StateMachineDefinition, { resolve: r.resolve, seed, startTime: Date.UTC(2026, 0, 1) });
  return { ...m, ...r };
}

export const types = (history: readonly HistoryEvent[]) => history.map((e) => e.type);

/** Virtual seconds between the first and last events. */
export const elapsedSeconds = (history: readonly HistoryEvent[]) =>
  (history.at(-1)!.timestamp - history[0]!.timestamp) / 1000;

/** Resolves once `predicate` holds (polling the event loop; for callbacks in flight). */
export async function until(predicate: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (predicate()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}
