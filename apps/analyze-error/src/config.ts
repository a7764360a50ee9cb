import { AwsRegionName, type Env, readConfig } from '@saga/lambda-kit/config';

/** A current Claude Haiku cross-region inference profile (EU data residency); see the README before changing it. */
export const DEFAULT_BEDROCK_MODEL_ID = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';

/** How AnalyzeError calls Bedrock; absent when Bedrock is not configured (the rules answer alone). */
export interface BedrockSettings {
  /** Model or inference-profile id (or ARN). */
  readonly modelId: string;
  /** Abort the Converse call after this long (SDK retries included). */
  readonly timeoutMs: number;
  readonly maxTokens: number;
  readonly temperature: number;
}

/** AnalyzeError configuration, read once from the environment at cold start. */
export interface AnalyzeErrorConfig {
  readonly bedrock?: BedrockSettings;
  /** Bedrock Runtime region, when it differs from the function's (`AWS_REGION`). */
  readonly region?: string;
  /** Endpoint override, e.g. the local Bedrock stub. */
  readonly endpoint?: string;
}

export const AnalyzeErrorDefaults = {
  timeoutMs: 8_000,
  maxTokens: 1_024,
  temperature: 0,
} as const;

const MODEL_ID = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,2047}$/, what: 'a model id, inference profile id or ARN' };

/**
 * Parses the environment:
 * - `BEDROCK_MODEL_ID` (optional): enables Bedrock; unset or empty means rules only. The deployment's
 *   default is {@link DEFAULT_BEDROCK_MODEL_ID};
 * - `BEDROCK_TIMEOUT_MS` (integer 500–60000, default 8000), `BEDROCK_MAX_TOKENS` (64–8192, default 1024);
 * - `BEDROCK_REGION` (optional), `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` (optional, http or https).
 *
 * @throws {ConfigError} `analyze-error configuration: ...`, naming each variable and the rule it breaks.
 */
export function parseAnalyzeErrorConfig(env: Env): AnalyzeErrorConfig {
  return readConfig('analyze-error', env, (e) => {
    const modelId = e.optional('BEDROCK_MODEL_ID', MODEL_ID);
    const timeoutMs = e.integer('BEDROCK_TIMEOUT_MS', { default: AnalyzeErrorDefaults.timeoutMs, min: 500, max: 60_000 });
    const maxTokens = e.integer('BEDROCK_MAX_TOKENS', { default: AnalyzeErrorDefaults.maxTokens, min: 64, max: 8_192 });
    const region = e.optional('BEDROCK_REGION', AwsRegionName);
    const endpoint = e.endpoint('AWS_ENDPOINT_URL_BEDROCK_RUNTIME');
    return {
      ...(modelId ? { bedrock: { modelId, timeoutMs, maxTokens, temperature: AnalyzeErrorDefaults.temperature } } : {}),
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint } : {}),
    };
  });
}
