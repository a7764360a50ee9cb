import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { recordingLogger } from '@saga/lambda-kit/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { analyzeInput } from '../test/fixtures.js';
import { bedrockClient, createHandler, defaultDeps } from './create-handler.js';

describe('createHandler', () => {
  it('adds the Lambda context to the logger and analyses', async () => {
    const logger = recordingLogger();
    const handler = createHandler({ config: {}, logger });
    const context = { functionName: 'analyze-error', awsRequestId: 'req-1' } as Context;
    await expect(handler(analyzeInput('OutOfStock', 'x', { failedStep: 'ReserveStock' }), context)).resolves.toMatchObject({
      source: 'rules',
      category: 'business',
    });
    expect(logger.contexts).toEqual([context]);
  });

  it('rejects a bad event with InvalidOrder', async () => {
    await expect(createHandler({ config: {}, logger: recordingLogger() })({ nope: 1 })).rejects.toMatchObject({ name: 'InvalidOrder' });
  });
});

describe('defaultDeps', () => {
  it('creates no Bedrock client when Bedrock is not configured', () => {
    const deps = defaultDeps({});
    expect(deps.bedrock).toBeUndefined();
    expect(typeof deps.logger.addContext).toBe('function');
  });

  it('creates a client with the configured region and endpoint', async () => {
    const deps = defaultDeps({ BEDROCK_MODEL_ID: 'm', BEDROCK_REGION: 'eu-central-1', AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:9' });
    expect(deps.bedrock).toBeInstanceOf(BedrockRuntimeClient);
    const client = deps.bedrock as BedrockRuntimeClient;
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(2);
    client.destroy();
  });

  it('fails at cold start with a precise message', () => {
    expect(() => defaultDeps({ BEDROCK_TIMEOUT_MS: 'x' })).toThrow(/BEDROCK_TIMEOUT_MS must be an integer/);
  });

  it('bedrockClient leaves region and endpoint to the SDK defaults when not set', () => {
    const client = bedrockClient({});
    expect(client).toBeInstanceOf(BedrockRuntimeClient);
    client.destroy();
  });
});
