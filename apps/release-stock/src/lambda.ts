import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ReleaseStockOutput, SagaSteps } from '@saga/contracts';
import { type Env, readConfig } from '@saga/lambda-kit/config';
import { readDynamoSettings } from '@saga/lambda-kit/dynamo';
import { createLogger, createStepHandler, type HandlerLogger, type StepHandler } from '@saga/lambda-kit/logger';
import { releaseStock, type ReleaseStockDeps } from './release-stock.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'release-stock';

/** Dependencies of the Lambda: the use case's, with a logger that takes the Lambda context. */
export interface ReleaseStockLambdaDeps extends ReleaseStockDeps {
  readonly logger: HandlerLogger;
}

/** The Lambda handler around {@link releaseStock}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: ReleaseStockLambdaDeps): StepHandler<ReleaseStockOutput> {
  return createStepHandler(deps.logger, (event) => releaseStock(event, deps), { logFailuresAs: SagaSteps.ReleaseStock });
}

/**
 * Production dependencies, from the environment (read once, at cold start): `STOCK_TABLE` and
 * `ORDERS_TABLE` (names or ARNs), optional `AWS_ENDPOINT_URL_DYNAMODB`.
 * @throws {ConfigError} `release-stock configuration: ...`, naming every missing or malformed variable
 */
export function defaultDeps(env: Env = process.env): ReleaseStockLambdaDeps {
  const { tables, clientConfig } = readConfig(SERVICE_NAME, env, (e) => readDynamoSettings(e, 'stock', 'orders'));
  return { dynamodb: new DynamoDBClient(clientConfig), tables, now: () => new Date(), logger: createLogger(SERVICE_NAME) };
}
