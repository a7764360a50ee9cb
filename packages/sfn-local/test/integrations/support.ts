import type { JsonValue } from '@saga/asl';
import { parseResource } from '../../src/integrations/resource.js';
import type { ExecutionIdentity, TaskInvocation } from '../../src/integrations/types.js';

export const EXECUTION: ExecutionIdentity = {
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:OrderSaga:ord-1',
  executionName: 'ord-1',
  stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:OrderSaga',
  region: 'eu-west-1',
  account: '123456789012',
};

export interface InvocationOptions {
  stateName?: string;
  attempt?: number;
  execution?: Partial<ExecutionIdentity>;
  taskToken?: string;
  signal?: AbortSignal;
  /** Start of the fake clock (epoch ms); `sleep` advances it without waiting. */
  startMs?: number;
}

/** A TaskInvocation for `resource` with `input`, on a fake clock that `sleep` advances instantly. */
export function invocation(resource: string, input: JsonValue, options: InvocationOptions = {}): TaskInvocation {
  let now = options.startMs ?? Date.UTC(2026, 10, 22, 12, 0, 0);
  return {
    resource,
    parsed: parseResource(resource),
    input,
    stateName: options.stateName ?? 'Task',
    attempt: options.attempt ?? 0,
    execution: { ...EXECUTION, ...options.execution },
    ...(options.taskToken ? { taskToken: options.taskToken } : {}),
    signal: options.signal ?? new AbortController().signal,
    sleep: async (ms) => {
      now += ms;
      await Promise.resolve();
    },
    now: () => now,
  };
}

/** Awaits the resolver's answer, failing the test if it declined (returned undefined). */
export async function answer(result: Promise<JsonValue> | undefined): Promise<JsonValue> {
  if (result === undefined) throw new Error('the resolver did not handle the invocation');
  return result;
}

/** The rejection of a promise (fails if it resolves). */
export async function rejection(result: Promise<unknown> | undefined): Promise<unknown> {
  if (result === undefined) throw new Error('the resolver did not handle the invocation');
  try {
    await result;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
