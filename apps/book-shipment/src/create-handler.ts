import { Logger } from '@aws-lambda-powertools/logger';
import type { BookShipmentOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { bookShipment, type BookShipmentDeps, type StepLogger } from './book-shipment.js';
import { parseBookShipmentConfig } from './config.js';

/** The Lambda entry: Step Functions passes the task input (the saga state or its `order`/`reservation` slice). */
export type BookShipmentHandler = (event: unknown, context?: Context) => Promise<BookShipmentOutput>;

/** Wraps the use case for Lambda: adds the invocation context to the logs, then books. */
export function createHandler(deps: BookShipmentDeps & { readonly logger: StepLogger & { addContext?(context: Context): void } }): BookShipmentHandler {
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext?.(context);
    return bookShipment(event, deps);
  };
}

/**
 * The production dependencies, built once per cold start: the configuration from `env` (throws a precise
 * `ConfigError` when it is wrong), the global `fetch`, a Powertools logger (`serviceName: 'book-shipment'`).
 */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): BookShipmentDeps & { logger: Logger } {
  return {
    config: parseBookShipmentConfig(env),
    fetch: globalThis.fetch,
    logger: new Logger({ serviceName: 'book-shipment' }),
  };
}
