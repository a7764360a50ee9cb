import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type EmitReceiptOutput, SagaSteps } from '@saga/contracts';
import { type Env, EventBusName, readConfig } from '@saga/lambda-kit/config';
import { readDynamoSettings } from '@saga/lambda-kit/dynamo';
import { createLogger, createStepHandler, type HandlerLogger, type StepHandler } from '@saga/lambda-kit/logger';
import { emitReceipt, type EmitReceiptDeps } from './emit-receipt.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'emit-receipt';

/** Dependencies of the Lambda: the use case's, with a logger that takes the Lambda context. */
export interface EmitReceiptLambdaDeps extends EmitReceiptDeps {
  readonly logger: HandlerLogger;
}

/** The Lambda handler around {@link emitReceipt}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: EmitReceiptLambdaDeps): StepHandler<EmitReceiptOutput> {
  return createStepHandler(deps.logger, (event) => emitReceipt(event, deps), { logFailuresAs: SagaSteps.EmitReceipt });
}

/**
 * Production dependencies, from the environment (read once, at cold start): `RECEIPTS_TABLE` (name or
 * ARN), `EVENT_BUS_NAME` (name or ARN), optional `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_EVENTBRIDGE`.
 * @throws {ConfigError} `emit-receipt configuration: ...`, naming every missing or malformed variable
 */
export function defaultDeps(env: Env = process.env): EmitReceiptLambdaDeps {
  const config = readConfig(SERVICE_NAME, env, (e) => ({
    dynamo: readDynamoSettings(e, 'receipts'),
    eventBusName: e.required('EVENT_BUS_NAME', EventBusName),
    eventBridgeEndpoint: e.endpoint('AWS_ENDPOINT_URL_EVENTBRIDGE'),
  }));
  return {
    dynamodb: new DynamoDBClient(config.dynamo.clientConfig),
    eventbridge: new EventBridgeClient(config.eventBridgeEndpoint !== undefined ? { endpoint: config.eventBridgeEndpoint } : {}),
    tables: config.dynamo.tables,
    eventBusName: config.eventBusName,
    now: () => new Date(),
    logger: createLogger(SERVICE_NAME),
  };
}
