/**
 * Shared fixtures for the evaluation specs (not a test file itself: vitest collects `*.spec.ts`;
 * the `.test.ts` suffix keeps this out of the library build).
 */
import type { JsonValue } from '@saga/asl';
import type { ContextObject } from '../context-object.js';
import { seededRandom } from '../random.js';
import type { EvaluationScope } from './scope.js';

export function context(overrides: Partial<ContextObject> = {}): ContextObject {
  return {
    Execution: {
      Id: 'arn:aws:states:us-east-1:123456789012:execution:OrderSaga:exec-1',
      Input: { orderId: 'o-1' },
      Name: 'exec-1',
      RoleArn: 'arn:aws:iam::123456789012:role/saga',
      StartTime: '2024-01-01T00:00:00Z',
      RedriveCount: 0,
    },
    State: { EnteredTime: '2024-01-01T00:00:01Z', Name: 'Charge', RetryCount: 0 },
    StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:OrderSaga', Name: 'OrderSaga' },
    ...overrides,
  };
}

export function scope(variables: Record<string, JsonValue> = {}, overrides: Partial<EvaluationScope> = {}): EvaluationScope {
  return { context: context(), variables, stateName: 'Charge', random: seededRandom(42), ...overrides };
}

/** Freezes a value deeply, so a test fails if anything writes to it. */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** The error a function throws (fails the test when it does not throw). */
export function thrown(f: () => unknown): { name: string; cause: string | undefined; message: string } {
  try {
    f();
  } catch (e) {
    return e as { name: string; cause: string | undefined; message: string };
  }
  throw new Error('expected an error');
}

export async function rejected(p: Promise<unknown>): Promise<{ name: string; cause: string | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; cause: string | undefined; message: string };
  }
  throw new Error('expected a rejection');
}
