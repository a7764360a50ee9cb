import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isSagaError, type ReleaseStockOutput } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { loadConfig } from './config.js';
import { describeError } from './dynamo-errors.js';
import type { StepLogger } from './logger.js';
import { releaseStock, type ReleaseStockDeps } from './release-stock.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'release-stock';

/** Dependencies of the Lambda: the use case's, with a Powertools logger. */
export interface ReleaseStockLambdaDeps extends ReleaseStockDeps {
  readonly logger: StepLogger & Pick<Logger, 'addContext'>;
}

/** The Lambda handler around {@link releaseStock}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: ReleaseStockLambdaDeps): (event: unknown, context?: Context) => Promise<ReleaseStockOutput> {
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await releaseStock(event, deps);
    } catch (error) {
      // Names and statuses only: messages of foreign errors may quote data.
      deps.logger.error('ReleaseStock failed', {
        step: 'ReleaseStock',
        errorName: error instanceof Error ? error.name : typeof error,
        retriable: isSagaError(error) ? error.retriable : undefined,
        error: isSagaError(error) ? error.message : describeError(error),
      });
      throw error;
    }
  };
}

/** Production dependencies, from the environment (read once, at cold start). */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): ReleaseStockLambdaDeps {
  const config = loadConfig(env);
  return {
    dynamodb: new DynamoDBClient(config.dynamodbEndpoint !== undefined ? { endpoint: config.dynamodbEndpoint } : {}),
    tables: { stock: config.stockTable, orders: config.ordersTable },
    now: () => new Date(),
    logger: new Logger({ serviceName: SERVICE_NAME }),
  };
}
