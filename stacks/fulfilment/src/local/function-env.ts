import { resolveReferences, type TerraformJson } from './terraform.js';

/**
 * The environment the functions run with locally: each function's `environment.variables` from the
 * synthesized stack, references resolved, then pointed at the stand-ins (what Lambda's runtime and
 * the deployed secrets provide in AWS). The functions share this process, so their environments
 * are merged; two functions wanting different values for one variable is an error.
 */

export interface StandInAddresses {
  region: string;
  /** The local Stripe-wire server and its test key (replaces the Secrets Manager secret). */
  stripe: { url: string; apiKey: string };
  carrierUrl: string;
  dynamodbEndpoint: string;
  /** Where the SDK's EventBridge client sends PutEvents: the engine's endpoint (its local buses). */
  eventBridgeEndpoint: string;
  /** Real Bedrock with this model, or absent: the rules classifier. */
  bedrockModelId?: string;
  /** Powertools log level of the functions. @default 'SILENT' (the run prints its own summary) */
  logLevel?: string;
}

export class FunctionEnvironmentConflictError extends Error {
  override readonly name = 'FunctionEnvironmentConflictError';
}

/** Variables a function's own runtime sets differently per function; never shared. */
const PER_FUNCTION = new Set(['POWERTOOLS_SERVICE_NAME']);

/** One function's variables, resolved and pointed at the stand-ins. */
export function localFunctionVariables(
  variables: Readonly<Record<string, string>>,
  references: ReadonlyMap<string, string>,
  addresses: StandInAddresses,
  functionKey: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (PER_FUNCTION.has(name)) continue;
    env[name] = resolveReferences(value, references, `aws_lambda_function.${functionKey}.environment.${name}`);
  }
  if ('STRIPE_SECRET_ARN' in env) {
    // Locally there is no Secrets Manager: the test key of the local Stripe server, sent to it.
    delete env['STRIPE_SECRET_ARN'];
    env['STRIPE_SECRET_KEY'] = addresses.stripe.apiKey;
    env['STRIPE_API_BASE'] = addresses.stripe.url;
  }
  if ('CARRIER_API_URL' in env) env['CARRIER_API_URL'] = addresses.carrierUrl;
  if ('BEDROCK_MODEL_ID' in env) {
    if (addresses.bedrockModelId) env['BEDROCK_MODEL_ID'] = addresses.bedrockModelId;
    else delete env['BEDROCK_MODEL_ID'];
  }
  if ('POWERTOOLS_LOG_LEVEL' in env) env['POWERTOOLS_LOG_LEVEL'] = addresses.logLevel ?? 'SILENT';
  return env;
}

/** The merged environment of every function of the stack, plus the runtime's own variables. */
export function localFunctionsEnvironment(
  stack: TerraformJson,
  references: ReadonlyMap<string, string>,
  addresses: StandInAddresses,
): Record<string, string> {
  const merged: Record<string, string> = {
    AWS_REGION: addresses.region,
    AWS_DEFAULT_REGION: addresses.region,
    AWS_ENDPOINT_URL_DYNAMODB: addresses.dynamodbEndpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: addresses.eventBridgeEndpoint,
  };
  const owner: Record<string, string> = {};
  for (const [key, resource] of Object.entries(stack.resource['aws_lambda_function'] ?? {})) {
    const variables = ((resource['environment'] as { variables?: Record<string, string> } | undefined)?.variables ?? {}) as Record<string, string>;
    for (const [name, value] of Object.entries(localFunctionVariables(variables, references, addresses, key))) {
      if (name in merged && merged[name] !== value) {
        throw new FunctionEnvironmentConflictError(
          `${name} is ${JSON.stringify(merged[name])} for ${owner[name] ?? 'the runtime'} but ${JSON.stringify(value)} for ${key}: the functions share one local process`,
        );
      }
      merged[name] = value;
      owner[name] ??= key;
    }
  }
  return merged;
}
