import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ReserveStockOutput, SagaSteps } from '@saga/contracts';
import { type Env, readConfig } from '@saga/lambda-kit/config';
import { readDynamoSettings } from '@saga/lambda-kit/dynamo';
import { createLogger, createStepHandler, type HandlerLogger, type StepHandler } from '@saga/lambda-kit/logger';
import { reserveStock, type ReserveStockDeps } from './reserve-stock.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'reserve-stock';

/** Dependencies of the Lambda: the use case's, with a logger that takes the Lambda context. */
export interface ReserveStockLambdaDeps extends ReserveStockDeps {
  readonly logger: HandlerLogger;
}

/** The Lambda handler around {@link reserveStock}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: ReserveStockLambdaDeps): StepHandler<ReserveStockOutput> {
  return createStepHandler(deps.logger, (event) => reserveStock(event, deps), { logFailuresAs: SagaSteps.ReserveStock });
}

/**
 * Production dependencies, from the environment (read once, at cold start): `STOCK_TABLE` and
 * `ORDERS_TABLE` (names or ARNs), optional `AWS_ENDPOINT_URL_DYNAMODB`.
 * @throws {ConfigError} `reserve-stock configuration: ...`, naming every missing or malformed variable
 */
export function defaultDeps(env: Env = process.env): ReserveStockLambdaDeps {
  const { tables, clientConfig } = readConfig(SERVICE_NAME, env, (e) => readDynamoSettings(e, 'stock', 'orders'));
  return { dynamodb: new DynamoDBClient(clientConfig), tables, now: () => new Date(), logger: createLogger(SERVICE_NAME) };
}
