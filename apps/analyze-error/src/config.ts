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

/** A configuration error: the function cannot start. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,2047}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * Parses the environment:
 * - `BEDROCK_MODEL_ID` (optional): enables Bedrock; unset or empty means rules only. The deployment's
 *   default is {@link DEFAULT_BEDROCK_MODEL_ID};
 * - `BEDROCK_TIMEOUT_MS` (integer 500–60000, default 8000), `BEDROCK_MAX_TOKENS` (64–8192, default 1024);
 * - `BEDROCK_REGION` (optional), `AWS_ENDPOINT_URL_BEDROCK_RUNTIME` (optional, http or https).
 *
 * @throws {ConfigError} naming the variable and the rule it breaks.
 */
export function parseAnalyzeErrorConfig(env: Readonly<Record<string, string | undefined>>): AnalyzeErrorConfig {
  const modelId = env['BEDROCK_MODEL_ID']?.trim();
  if (modelId && !MODEL_ID.test(modelId)) throw new ConfigError(`BEDROCK_MODEL_ID is not a model id, inference profile id or ARN: ${JSON.stringify(modelId)}`);
  const timeoutMs = integer(env, 'BEDROCK_TIMEOUT_MS', AnalyzeErrorDefaults.timeoutMs, 500, 60_000);
  const maxTokens = integer(env, 'BEDROCK_MAX_TOKENS', AnalyzeErrorDefaults.maxTokens, 64, 8_192);

  const region = env['BEDROCK_REGION']?.trim();
  if (region && !REGION.test(region)) throw new ConfigError(`BEDROCK_REGION is not a region name: ${JSON.stringify(region)}`);

  const endpoint = env['AWS_ENDPOINT_URL_BEDROCK_RUNTIME']?.trim();
  if (endpoint) {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new ConfigError(`AWS_ENDPOINT_URL_BEDROCK_RUNTIME is not a URL: ${JSON.stringify(endpoint)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('AWS_ENDPOINT_URL_BEDROCK_RUNTIME must be http or https');
  }
  return {
    ...(modelId ? { bedrock: { modelId, timeoutMs, maxTokens, temperature: AnalyzeErrorDefaults.temperature } } : {}),
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

function integer(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}
