import type { BookShipmentOutput } from '@saga/contracts';
import type { Env } from '@saga/lambda-kit/config';
import { createLogger, createStepHandler, type HandlerLogger, type Logger, type StepHandler } from '@saga/lambda-kit/logger';
import { bookShipment, type BookShipmentDeps } from './book-shipment.js';
import { parseBookShipmentConfig } from './config.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'book-shipment';

/** The Lambda entry: Step Functions passes the task input (the saga state or its `order`/`reservation` slice). */
export type BookShipmentHandler = StepHandler<BookShipmentOutput>;

/** Wraps the use case for Lambda: adds the invocation context to the logs, then books (the use case logs its outcome). */
export function createHandler(deps: BookShipmentDeps & { readonly logger: HandlerLogger }): BookShipmentHandler {
  return createStepHandler(deps.logger, (event) => bookShipment(event, deps));
}

/**
 * The production dependencies, built once per cold start: the configuration from `env` (throws a precise
 * `ConfigError` when it is wrong), the global `fetch`, the PII-free Powertools logger (`service: book-shipment`).
 */
export function defaultDeps(env: Env = process.env): BookShipmentDeps & { logger: Logger } {
  return {
    config: parseBookShipmentConfig(env),
    fetch: globalThis.fetch,
    logger: createLogger(SERVICE_NAME),
  };
}
