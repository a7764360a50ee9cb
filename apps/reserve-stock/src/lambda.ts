import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isSagaError, type ReserveStockOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { loadConfig } from './config.js';
import { describeError } from './dynamo-errors.js';
import type { StepLogger } from './logger.js';
import { reserveStock, type ReserveStockDeps } from './reserve-stock.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'reserve-stock';

/** Dependencies of the Lambda: the use case's, with a Powertools logger. */
export interface ReserveStockLambdaDeps extends ReserveStockDeps {
  readonly logger: StepLogger & Pick<Logger, 'addContext'>;
}

/** The Lambda handler around {@link reserveStock}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: ReserveStockLambdaDeps): (event: unknown, context?: Context) => Promise<ReserveStockOutput> {
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await reserveStock(event, deps);
    } catch (error) {
      // Names and statuses only: messages of foreign errors may quote data.
      deps.logger.error('ReserveStock failed', {
        step: 'ReserveStock',
        errorName: error instanceof Error ? error.name : typeof error,
        retriable: isSagaError(error) ? error.retriable : undefined,
        error: isSagaError(error) ? error.message : describeError(error),
      });
      throw error;
    }
  };
}

/** Production dependencies, from the environment (read once, at cold start). */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): ReserveStockLambdaDeps {
  const config = loadConfig(env);
  return {
    dynamodb: new DynamoDBClient(config.dynamodbEndpoint !== undefined ? { endpoint: config.dynamodbEndpoint } : {}),
    tables: { stock: config.stockTable, orders: config.ordersTable },
    now: () => new Date(),
    logger: new Logger({ serviceName: SERVICE_NAME }),
  };
}
