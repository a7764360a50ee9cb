import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { assertBundlesExist, BUILD_BUNDLES_COMMAND, bundleDirs, MissingBundlesError, REPO_ROOT } from '../src/bundles.js';
import {
  backendConfigFromEnv,
  DEFAULT_FUNCTION_SETTINGS,
  FUNCTION_NAMES,
  parseEnvironmentConfig,
  type EnvironmentConfigInput,
} from '../src/config.js';
import { ENVIRONMENTS, loadEnvironments, withBundlesRoot } from '../src/environments.js';
import { FulfilmentStack } from '../src/fulfilment-stack.js';
import { configWithBundles, makeFixtureBundles, testApp } from './support/fixtures.js';

const dev = ENVIRONMENTS.find((e) => e.stackName === 'dev')!;
const invalid = (patch: Partial<EnvironmentConfigInput>) => () => parseEnvironmentConfig({ ...dev, ...patch });

describe('environments', () => {
  it('defines at least dev and prod, and every one parses', () => {
    const envs = loadEnvironments();
    expect(envs.map((e) => e.stackName)).toEqual(expect.arrayContaining(['dev', 'prod']));
    expect(new Set(envs.map((e) => e.namePrefix)).size).toBe(envs.length);
  });

  it('fills in the defaults: per-function settings, execution data off, no deletion protection, no extra tags', () => {
    const parsed = parseEnvironmentConfig(dev);
    expect(parsed.functions).toEqual(DEFAULT_FUNCTION_SETTINGS);
    expect(parsed.stateMachine).toEqual({ includeExecutionData: false });
    expect(parsed.deletionProtection).toBe(false);
    expect(parsed.secretsExtension).toEqual({ httpPort: 2773 });
    expect(
      parseEnvironmentConfig({
        ...dev,
        region: 'eu-central-2',
        stripeSecretArn: 'arn:aws:secretsmanager:eu-central-2:111111111111:secret:s-AbC123',
        secretsExtension: { layerArn: 'arn:aws:lambda:eu-central-2:772501565639:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:1' },
      }).secretsExtension,
    ).toMatchObject({ layerArn: expect.stringContaining(':eu-central-2:') });
    const prod = loadEnvironments().find((e) => e.stackName === 'prod')!;
    expect(prod.functions['charge-payment'].memoryMb).toBe(1024);
    expect(prod.functions['reserve-stock']).toEqual(DEFAULT_FUNCTION_SETTINGS['reserve-stock']);
    expect(prod.deletionProtection).toBe(true);
  });

  it.each([
    ['a secret ARN without its suffix', { stripeSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:stripe' }, /stripeSecretArn/],
    ['an http carrier endpoint', { carrierEndpoint: 'http://carrier.example.com' }, /carrierEndpoint/],
    ['a retention CloudWatch does not offer', { logRetentionDays: 10 }, /logRetentionDays/],
    ['a bad e-mail', { alarmEmail: 'ops at example.com' }, /alarmEmail/],
    ['an upper-case prefix', { namePrefix: 'Saga-Dev' }, /namePrefix/],
    ['a heartbeat not below the review timeout', { review: { timeoutSeconds: 3_600, heartbeatSeconds: 3_600, queueAgeAlarmSeconds: 600 } }, /heartbeatSeconds/],
    ['a queue-age alarm after reviews expire', { review: { timeoutSeconds: 3_600, heartbeatSeconds: 600, queueAgeAlarmSeconds: 7_200 } }, /queueAgeAlarmSeconds/],
    ['a review longer than SQS keeps messages', { review: { timeoutSeconds: 1_300_000, heartbeatSeconds: 600, queueAgeAlarmSeconds: 600 } }, /timeoutSeconds/],
    ['a Lambda timeout over 900 s', { functions: { 'book-shipment': { memoryMb: 256, timeoutSeconds: 901 } } }, /book-shipment/],
    ['an unknown key', { colour: 'blue' } as never, /colour/],
    [
      'a region without a known extension layer',
      { region: 'eu-central-2', stripeSecretArn: 'arn:aws:secretsmanager:eu-central-2:111111111111:secret:s-AbC123' },
      /no arm64 AWS Parameters and Secrets Lambda Extension layer is known for eu-central-2: set secretsExtension.layerArn/,
    ],
    [
      'an extension layer of another region',
      { secretsExtension: { layerArn: 'arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12' } },
      /layerArn is in us-east-1, but the stack deploys to eu-west-1/,
    ],
    ['both a layer version and a layer ARN', { secretsExtension: { layerVersion: 12, layerArn: 'arn:aws:lambda:eu-west-1:015030872274:layer:X:1' } }, /not both/],
    ['an extension port below 1024', { secretsExtension: { httpPort: 80 } }, /httpPort/],
  ])('rejects %s', (_, patch, message) => {
    expect(invalid(patch)).toThrow(message);
    expect(invalid(patch)).toThrow(/Invalid configuration for stack 'dev'/);
  });

  it('refuses two environments with one name', () => {
    expect(() => loadEnvironments([dev, dev])).toThrow(/Two environments are named 'dev'/);
  });
});

describe('backend settings from the environment', () => {
  it('is local when nothing is set', () => {
    expect(backendConfigFromEnv({})).toEqual({ type: 'local' });
  });

  it('reads S3 settings, defaulting the key prefix and using the S3 lock file', () => {
    expect(backendConfigFromEnv({ SAGA_STATE_BACKEND: 's3', SAGA_STATE_BUCKET: 'acme-tf', SAGA_STATE_REGION: 'eu-west-1' })).toEqual({
      type: 's3',
      bucket: 'acme-tf',
      region: 'eu-west-1',
      keyPrefix: 'order-fulfilment',
    });
    expect(
      backendConfigFromEnv({
        SAGA_STATE_BACKEND: 's3',
        SAGA_STATE_BUCKET: 'acme-tf',
        SAGA_STATE_REGION: 'eu-west-1',
        SAGA_STATE_KEY_PREFIX: 'teams/saga',
        SAGA_STATE_LOCK_TABLE: 'tf-locks',
      }),
    ).toEqual({ type: 's3', bucket: 'acme-tf', region: 'eu-west-1', keyPrefix: 'teams/saga', lockTable: 'tf-locks' });
  });

  it('names the variables when S3 settings are incomplete or the type is unknown', () => {
    expect(() => backendConfigFromEnv({ SAGA_STATE_BACKEND: 's3', SAGA_STATE_REGION: 'eu-west-1' })).toThrow(/SAGA_STATE_BUCKET/);
    expect(() => backendConfigFromEnv({ SAGA_STATE_BACKEND: 'gcs' })).toThrow(/Invalid Terraform backend settings/);
  });
});

describe('Lambda bundles', () => {
  it('default to apps/<name>/dist/lambda', () => {
    const dirs = bundleDirs(parseEnvironmentConfig(dev));
    for (const fn of FUNCTION_NAMES) expect(dirs[fn]).toBe(join(REPO_ROOT, 'apps', fn, 'dist', 'lambda'));
  });

  it('can all be pointed at one root (SAGA_LAMBDA_BUNDLES_DIR)', () => {
    const config = withBundlesRoot(parseEnvironmentConfig(dev), '/tmp/bundles');
    expect(bundleDirs(config)['emit-receipt']).toBe('/tmp/bundles/emit-receipt');
    expect(withBundlesRoot(parseEnvironmentConfig(dev), undefined).functions).toEqual(DEFAULT_FUNCTION_SETTINGS);
  });

  it('a missing bundle fails synth with its name, its path and the command that builds it', () => {
    const { dirs, cleanup } = makeFixtureBundles();
    onTestFinished(cleanup);
    rmSync(join(dirs['book-shipment'], 'handler.mjs'));
    rmSync(join(dirs['analyze-error'], 'handler.mjs'));
    const attempt = () => new FulfilmentStack(testApp(), 'dev', { config: configWithBundles(dirs) });
    expect(attempt).toThrow(MissingBundlesError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(`book-shipment: ${join(dirs['book-shipment'], 'handler.mjs')}`);
      expect(message).toContain(`analyze-error: ${join(dirs['analyze-error'], 'handler.mjs')}`);
      expect(message).not.toContain('charge-payment');
      expect(message).toContain(`Build them first: ${BUILD_BUNDLES_COMMAND}`);
      expect(BUILD_BUNDLES_COMMAND).toBe('npx nx run-many -t bundle');
    }
  });

  it('names default bundle paths relative to the repository root', () => {
    const missing = Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, join(REPO_ROOT, 'no-such-dir', fn)])) as Record<(typeof FUNCTION_NAMES)[number], string>;
    expect(() => assertBundlesExist(missing)).toThrow('  - charge-payment: no-such-dir/charge-payment/handler.mjs');
  });
});
