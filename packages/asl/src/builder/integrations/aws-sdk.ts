import type { PayloadTemplate } from '../../definition/states.js';
import type { JsonPathInvocation } from './invocation.js';
import { jsonPathInvocation } from './invocation.js';
import { DslError } from '../dsl-error.js';

/**
 * Any AWS API through the SDK integration: `arn:aws:states:::aws-sdk:<service>:<action>`.
 * Service names are lower case (`s3`, `secretsmanager`), actions camelCase (`getObject`); errors
 * arrive as `<Service>.<Exception>`. There is no `.sync` for SDK integrations.
 */
export function awsSdk(
  service: string,
  action: string,
  parameters: PayloadTemplate = {},
  options: { waitForTaskToken?: boolean } = {},
): JsonPathInvocation {
  if (!/^[a-z0-9]+$/.test(service)) throw new DslError('InvalidArgument', `aws-sdk service must be lower case alphanumeric, got '${service}'`);
  if (!/^[a-z][A-Za-z0-9]*$/.test(action)) throw new DslError('InvalidArgument', `aws-sdk action must be camelCase, got '${action}'`);
  return jsonPathInvocation('aws-sdk', `${service}:${action}`, parameters, options.waitForTaskToken ? 'waitForTaskToken' : 'requestResponse');
}
