import { runtimeError } from '../errors.js';
import { describeResource } from './resource.js';
import type { TaskInvocation, TaskResolver } from './types.js';

/**
 * One resolver from many: the first that handles an invocation (returns a promise) answers it.
 * Returns undefined when none does. A resolver that throws synchronously answers with that
 * error as a rejection.
 */
export function chainResolvers(...resolvers: Array<TaskResolver | undefined>): TaskResolver {
  const list = resolvers.filter((r): r is TaskResolver => r !== undefined);
  return (invocation) => {
    for (const resolve of list) {
      let answer: ReturnType<TaskResolver>;
      try {
        answer = resolve(invocation);
      } catch (e) {
        return Promise.reject(e);
      }
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
}

function hint(invocation: TaskInvocation): string {
  const p = invocation.parsed;
  switch (p.kind) {
    case 'lambda-function':
      return `Register the function '${p.functionName}' with a LambdaRegistry.`;
    case 'integration':
      if (p.service === 'lambda' && p.action === 'invoke') return 'Add a Lambda resolver and register the function.';
      return `No local integration for ${p.service}:${p.action} with the ${p.pattern} pattern is configured; add a resolver or a mock for state '${invocation.stateName}'.`;
    case 'aws-sdk':
      return `Add an AWS SDK handler for '${p.service}:${p.action}' (createAwsSdkResolver) or a mock for state '${invocation.stateName}'.`;
    case 'activity':
      return 'Activities are served by the engine (GetActivityTask/SendTask*), not by a resolver.';
    case 'unknown':
      return 'It is not a Resource form Step Functions accepts (an optimized integration, aws-sdk, Lambda function or activity ARN).';
  }
}

/**
 * The last resolver of a chain: fails the task with `States.Runtime` (never retried or caught)
 * naming the resource nobody handles. AWS would have rejected such a resource when the state
 * machine was created; failing loudly at run time is the local equivalent, never a silent pass.
 */
export const unknownResourceResolver: TaskResolver = (invocation) =>
  Promise.reject(
    runtimeError(
      invocation.stateName,
      `No integration handles the resource '${invocation.resource}' (${describeResource(invocation.parsed, invocation.resource)}). ${hint(invocation)}`,
    ),
  );
