import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { type EmitReceiptOutput, isSagaError } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { describeError } from './aws-errors.js';
import { loadConfig } from './config.js';
import { emitReceipt, type EmitReceiptDeps } from './emit-receipt.js';
import type { StepLogger } from './logger.js';

/** The Powertools service name (the `service` key of every log line). */
export const SERVICE_NAME = 'emit-receipt';

/** Dependencies of the Lambda: the use case's, with a Powertools logger. */
export interface EmitReceiptLambdaDeps extends EmitReceiptDeps {
  readonly logger: StepLogger & Pick<Logger, 'addContext'>;
}

/** The Lambda handler around {@link emitReceipt}: adds the Lambda context to logs, logs failures by name. */
export function createHandler(deps: EmitReceiptLambdaDeps): (event: unknown, context?: Context) => Promise<EmitReceiptOutput> {
  return async (event, context) => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      return await emitReceipt(event, deps);
    } catch (error) {
      // Names and statuses only: messages of foreign errors may quote data.
      deps.logger.error('EmitReceipt failed', {
        step: 'EmitReceipt',
        errorName: error instanceof Error ? error.name : typeof error,
        retriable: isSagaError(error) ? error.retriable : undefined,
        error: isSagaError(error) ? error.message : describeError(error),
      });
      throw error;
    }
  };
}

/** Production dependencies, from the environment (read once, at cold start). */
export function defaultDeps(env: Readonly<Record<string, string | undefined>> = process.env): EmitReceiptLambdaDeps {
  const config = loadConfig(env);
  return {
    dynamodb: new DynamoDBClient(config.dynamodbEndpoint !== undefined ? { endpoint: config.dynamodbEndpoint } : {}),
    eventbridge: new EventBridgeClient(config.eventBridgeEndpoint !== undefined ? { endpoint: config.eventBridgeEndpoint } : {}),
    tables: { receipts: config.receiptsTable },
    eventBusName: config.eventBusName,
    now: () => new Date(),
    logger: new Logger({ serviceName: SERVICE_NAME }),
  };
}
