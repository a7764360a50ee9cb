import { Logger } from '@aws-lambda-powertools/logger';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AnalyzeErrorOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { analyzeError, type AnalyzeErrorDeps, type StepLogger } from './analyze-error.js';
import { parseAnalyzeErrorConfig, type AnalyzeErrorConfig } from './config.js';

/** The Lambda entry: Step Functions passes `{ errorInfo, context }` built with Parameters. */
export type AnalyzeErrorHandler = (event: unknown, context?: Context) => Promise<AnalyzeErrorOutput>;

/** Wraps the use case for Lambda: adds the invocation context to the logs, then analyses. */
export function createHandler(deps: AnalyzeErrorDeps & { readonly logger: StepLogger & { addContext?(context: Context): void } }): AnalyzeErrorHandler {
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext?.(context);
    return analyzeError(event, deps);
  };
}

/** The Bedrock Runtime client for a configuration (SDK retries kept low: the call has its own deadline). */
export function bedrockClient(config: AnalyzeErrorConfig): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    maxAttempts: 2,
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
  });
}

/**
 * The production dependencies, built once per cold start: the configuration from `env` (throws a precise
 * `ConfigError` when it is wrong), a Bedrock Runtime client when `BEDROCK_MODEL_ID` is set, a Powertools
 * logger (`serviceName: 'analyze-error'`). No known-PII lookup: the input carries no customer data.
 */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): AnalyzeErrorDeps & { logger: Logger } {
  const config = parseAnalyzeErrorConfig(env);
  return {
    config,
    ...(config.bedrock === undefined ? {} : { bedrock: bedrockClient(config) }),
    logger: new Logger({ serviceName: 'analyze-error' }),
  };
}
