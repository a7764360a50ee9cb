import type { JsonValue } from '../../definition/json.js';
import type { IntrinsicFunctionCall, Path } from '../../definition/paths.js';
import type { JsonataValue, PayloadTemplate, PayloadValue } from '../../definition/states.js';
import { DslError } from '../dsl-error.js';

/** What an integration helper returns: spread it into `task({...})`. */
export interface JsonPathInvocation {
  Resource: string;
  Parameters: PayloadTemplate;
}
export interface JsonataInvocation {
  Resource: string;
  Arguments: JsonataValue;
  QueryLanguage: 'JSONata';
}
export type Invocation = JsonPathInvocation | JsonataInvocation;

/** The service-integration patterns of Step Functions. */
export type IntegrationPattern = 'requestResponse' | 'waitForTaskToken' | 'sync' | 'sync:2';

/**
 * A JSONPath payload field `K` given either as a value (`K: T`) or as a path or intrinsic
 * (`'K.$': '$.x'`), never both.
 */
export type Field<K extends string, T> =
  | ({ [P in K]: T } & { [P in `${K}.$`]?: never })
  | ({ [P in `${K}.$`]: Path | IntrinsicFunctionCall } & { [P in K]?: never });
export type OptionalField<K extends string, T> =
  | Field<K, T>
  | ({ [P in K]?: never } & { [P in `${K}.$`]?: never });

const TOKEN_REFERENCE = /\$\$\.Task\.Token|\$states\.context\.Task\.Token/;

/** `arn:aws:states:::<service>:<action>[.<pattern>]` */
export function integrationArn(service: string, action: string, pattern: IntegrationPattern = 'requestResponse'): string {
  const suffix = pattern === 'requestResponse' ? '' : `.${pattern}`;
  return `arn:aws:states:::${service}:${action}${suffix}`;
}

/**
 * Builds the invocation of an optimized integration. A callback (`.waitForTaskToken`) must pass
 * the task token somewhere in its payload, or the execution would wait until it times out.
 */
export function jsonPathInvocation(
  service: string,
  action: string,
  parameters: object,
  pattern: IntegrationPattern = 'requestResponse',
): JsonPathInvocation {
  const Resource = integrationArn(service, action, pattern);
  assertTokenPassed(Resource, parameters);
  return { Resource, Parameters: parameters as PayloadTemplate };
}

export function jsonataInvocation(
  service: string,
  action: string,
  args: Record<string, JsonValue>,
  pattern: IntegrationPattern = 'requestResponse',
): JsonataInvocation {
  const Resource = integrationArn(service, action, pattern);
  assertTokenPassed(Resource, args);
  return { Resource, Arguments: args, QueryLanguage: 'JSONata' };
}

function assertTokenPassed(resource: string, payload: object): void {
  if (resource.endsWith('.waitForTaskToken') && !TOKEN_REFERENCE.test(JSON.stringify(payload))) {
    throw new DslError(
      'CallbackWithoutToken',
      `${resource} must pass the task token ($$.Task.Token, or $states.context.Task.Token in JSONata) in its payload`,
    );
  }
}

export type { PayloadValue };
