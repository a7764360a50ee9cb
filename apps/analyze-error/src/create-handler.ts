import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AnalyzeErrorOutput } from '@saga/contracts';
import type { Env } from '@saga/lambda-kit/config';
import { createLogger, createStepHandler, type HandlerLogger, type Logger, type StepHandler } from '@saga/lambda-kit/logger';
import { analyzeError, type AnalyzeErrorDeps } from './analyze-error.js';
import { parseAnalyzeErrorConfig, type AnalyzeErrorConfig } from './config.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'analyze-error';

/** The Lambda entry: Step Functions passes `{ errorInfo, context }` built with Parameters. */
export type AnalyzeErrorHandler = StepHandler<AnalyzeErrorOutput>;

/** Wraps the use case for Lambda: adds the invocation context to the logs, then analyses (the use case logs its outcome). */
export function createHandler(deps: AnalyzeErrorDeps & { readonly logger: HandlerLogger }): AnalyzeErrorHandler {
  return createStepHandler(deps.logger, (event) => analyzeError(event, deps));
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
 * `ConfigError` when it is wrong), a Bedrock Runtime client when `BEDROCK_MODEL_ID` is set, the PII-free
 * Powertools logger (`service: analyze-error`). No known-PII lookup: the input carries no customer data.
 */
export function defaultDeps(env: Env = process.env): AnalyzeErrorDeps & { logger: Logger } {
  const config = parseAnalyzeErrorConfig(env);
  return {
    config,
    ...(config.bedrock === undefined ? {} : { bedrock: bedrockClient(config) }),
    logger: createLogger(SERVICE_NAME),
  };
}
