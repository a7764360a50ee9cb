import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type RecordingLogger, recordingLogger } from '@saga/lambda-kit/logger';
import { PII } from '@saga/testkit';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { anEmitReceiptInput } from '../test/fixtures.js';
import { createHandler, defaultDeps } from './lambda.js';

describe('defaultDeps', () => {
  it('builds the production dependencies from the environment', () => {
    const deps = defaultDeps({ RECEIPTS_TABLE: 'saga-receipts', EVENT_BUS_NAME: 'saga-bus' });
    expect(deps.tables).toEqual({ receipts: 'saga-receipts' });
    expect(deps.eventBusName).toBe('saga-bus');
    expect(deps.dynamodb).toBeInstanceOf(DynamoDBClient);
    expect(deps.eventbridge).toBeInstanceOf(EventBridgeClient);
  });

  it('takes a bus ARN and the local endpoints', async () => {
    const bus = 'arn:aws:events:eu-west-1:123456789012:event-bus/saga-bus';
    const deps = defaultDeps({
      RECEIPTS_TABLE: 'saga-receipts',
      EVENT_BUS_NAME: bus,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://127.0.0.1:4010',
    });
    expect(deps.eventBusName).toBe(bus);
    expect(await deps.dynamodb.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 8000 });
    expect(await deps.eventbridge.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 4010 });
  });

  it('names every missing or malformed variable at once', () => {
    expect(() => defaultDeps({ EVENT_BUS_NAME: 'bus name with spaces', AWS_ENDPOINT_URL_EVENTBRIDGE: 'ftp://x' })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: 'emit-receipt configuration: RECEIPTS_TABLE is not set; EVENT_BUS_NAME is not an event bus name or ARN; AWS_ENDPOINT_URL_EVENTBRIDGE must be http or https, got ftp:',
      }),
    );
  });
});

describe('createHandler', () => {
  const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials });
  const eventbridge = new EventBridgeClient({ region: 'us-east-1', credentials });
  const ddb = mockClient(dynamodb);
  const events = mockClient(eventbridge);
  let logger: RecordingLogger;

  beforeEach(() => {
    ddb.reset();
    events.reset();
    logger = recordingLogger();
    ddb.on(PutItemCommand).resolves({});
    ddb.on(UpdateItemCommand).resolves({});
  });

  const handlerWith = () => createHandler({ dynamodb, eventbridge, tables: { receipts: 'r' }, eventBusName: 'bus', logger });

  it('emits and adds the Lambda context to the logs', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
    const context = { functionName: 'emit-receipt' } as Context;
    await expect(handlerWith()(anEmitReceiptInput(), context)).resolves.toEqual({ receiptId: 'rcpt_ord-1', eventId: 'evt-1' });
    expect(logger.contexts).toEqual([context]);
  });

  it('rethrows failures by ASL name and logs them without personal data', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });
    await expect(handlerWith()(anEmitReceiptInput())).rejects.toMatchObject({ name: 'EventPublishFailed' });
    expect(logger.entries.at(-1)).toEqual({
      level: 'error',
      message: 'EmitReceipt failed',
      attributes: { step: 'EmitReceipt', errorName: 'EventPublishFailed', retriable: true, error: 'PutEvents rejected the OrderFulfilled event: ThrottlingException' },
    });
    const logged = JSON.stringify(logger.entries);
    for (const value of PII) expect(logged).not.toContain(value);
  });
});
