import { ConfigError } from '@saga/lambda-kit/config';
import { describe, expect, it } from 'vitest';
import { AnalyzeErrorDefaults, DEFAULT_BEDROCK_MODEL_ID, parseAnalyzeErrorConfig } from './config.js';

describe('parseAnalyzeErrorConfig', () => {
  it('is rules-only without BEDROCK_MODEL_ID', () => {
    expect(parseAnalyzeErrorConfig({})).toEqual({});
    expect(parseAnalyzeErrorConfig({ BEDROCK_MODEL_ID: '  ' })).toEqual({});
  });

  it('enables Bedrock with defaults', () => {
    expect(parseAnalyzeErrorConfig({ BEDROCK_MODEL_ID: DEFAULT_BEDROCK_MODEL_ID })).toEqual({
      bedrock: { modelId: DEFAULT_BEDROCK_MODEL_ID, ...AnalyzeErrorDefaults },
    });
  });

  it('reads every setting', () => {
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0';
    expect(
      parseAnalyzeErrorConfig({
        BEDROCK_MODEL_ID: arn,
        BEDROCK_TIMEOUT_MS: '5000',
        BEDROCK_MAX_TOKENS: '512',
        BEDROCK_REGION: 'eu-central-1',
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'http://127.0.0.1:4566',
      }),
    ).toEqual({ bedrock: { modelId: arn, timeoutMs: 5000, maxTokens: 512, temperature: 0 }, region: 'eu-central-1', endpoint: 'http://127.0.0.1:4566' });
  });

  it('uses a current Haiku inference profile as the documented default', () => {
    expect(DEFAULT_BEDROCK_MODEL_ID).toMatch(/^(eu|us|global)\.anthropic\.claude-haiku-4-5-/);
  });

  it.each([
    [{ BEDROCK_MODEL_ID: 'has space' }, /BEDROCK_MODEL_ID is not a model id/],
    [{ BEDROCK_TIMEOUT_MS: '8s' }, /BEDROCK_TIMEOUT_MS must be an integer/],
    [{ BEDROCK_TIMEOUT_MS: '100' }, /BEDROCK_TIMEOUT_MS must be between 500 and 60000, got 100/],
    [{ BEDROCK_MAX_TOKENS: '10' }, /BEDROCK_MAX_TOKENS must be between 64 and 8192/],
    [{ BEDROCK_REGION: 'Europe' }, /BEDROCK_REGION is not a region name/],
    [{ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'localhost' }, /AWS_ENDPOINT_URL_BEDROCK_RUNTIME is not a URL/],
    [{ AWS_ENDPOINT_URL_BEDROCK_RUNTIME: 'ftp://x' }, /must be http or https/],
  ])('rejects %j precisely', (env, message) => {
    expect(() => parseAnalyzeErrorConfig(env)).toThrow(message);
    expect(() => parseAnalyzeErrorConfig(env)).toThrow(ConfigError);
  });
});
