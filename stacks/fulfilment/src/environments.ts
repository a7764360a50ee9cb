import { join, resolve } from 'node:path';
import { FUNCTION_NAMES, parseEnvironmentConfig, type EnvironmentConfig, type EnvironmentConfigInput } from './config.js';

/**
 * The deployments: one Terraform stack each. Edit the account-specific values (the Stripe secret
 * ARN, the alarm e-mail, the carrier endpoint) before the first `cdktf deploy`; the secret itself
 * is created outside Terraform (`aws secretsmanager create-secret`), so no key ever lands in state.
 */
export const ENVIRONMENTS: readonly EnvironmentConfigInput[] = [
  {
    stackName: 'dev',
    region: 'eu-west-1',
    namePrefix: 'saga-dev',
    alarmEmail: 'saga-dev-alerts@example.com',
    bedrockModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    stripeSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:saga-dev/stripe-api-key-AbC123',
    carrierEndpoint: 'https://sandbox.carrier.example.com',
    logRetentionDays: 14,
    review: { timeoutSeconds: 86_400, heartbeatSeconds: 14_400, queueAgeAlarmSeconds: 3_600 },
    tags: { 'cost-center': 'fulfilment-dev' },
  },
  {
    stackName: 'prod',
    region: 'eu-west-1',
    namePrefix: 'saga-prod',
    alarmEmail: 'saga-oncall@example.com',
    bedrockModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    stripeSecretArn: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:saga-prod/stripe-api-key-XyZ789',
    carrierEndpoint: 'https://api.carrier.example.com',
    logRetentionDays: 90,
    functions: {
      'charge-payment': { memoryMb: 1024, timeoutSeconds: 20 },
      'refund-payment': { memoryMb: 1024, timeoutSeconds: 20 },
      'analyze-error': { memoryMb: 1024, timeoutSeconds: 45 },
    },
    review: { timeoutSeconds: 259_200, heartbeatSeconds: 86_400, queueAgeAlarmSeconds: 14_400 },
    deletionProtection: true,
    tags: { 'cost-center': 'fulfilment' },
  },
];

/** The parsed environments (throws on the first invalid one, listing every problem in it). */
export function loadEnvironments(inputs: readonly EnvironmentConfigInput[] = ENVIRONMENTS): EnvironmentConfig[] {
  const parsed = inputs.map(parseEnvironmentConfig);
  const names = parsed.map((e) => e.stackName);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`Two environments are named '${duplicate}'`);
  return parsed;
}

/** Points every function of every environment at `<root>/<function>` (CI artifacts, benchmarks). */
export const BUNDLES_ROOT_ENV = 'SAGA_LAMBDA_BUNDLES_DIR';

export function withBundlesRoot(config: EnvironmentConfig, root: string | undefined): EnvironmentConfig {
  if (root === undefined || root === '') return config;
  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((fn) => [fn, { ...config.functions[fn], bundleDir: join(resolve(root), fn) }]),
  ) as EnvironmentConfig['functions'];
  return { ...config, functions };
}
