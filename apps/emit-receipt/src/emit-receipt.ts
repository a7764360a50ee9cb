import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  EmitReceiptInputSchema,
  type EmitReceiptOutput,
  EventDetailTypes,
  InvalidOrderError,
  putEventsEntry,
  SagaError,
  SagaSteps,
} from '@saga/contracts';
import { describeError, isConditionalCheckFailed, mapAwsError, mapDynamoError } from '@saga/lambda-kit/aws';
import { parseReceiptItem, RECEIPTS_KEY, type ReceiptRecord, receiptItem, receiptKey } from '@saga/lambda-kit/dynamo';
import { silentLogger, type StepLogger } from '@saga/lambda-kit/logger';
import { orderFulfilledDetail, receiptFor } from './receipt.js';

/** What {@link emitReceipt} needs from the outside world. */
export interface EmitReceiptDeps {
  readonly dynamodb: DynamoDBClient;
  readonly eventbridge: EventBridgeClient;
  readonly tables: { readonly receipts: string };
  /** The bus (name or ARN) that gets `OrderFulfilled`. */
  readonly eventBusName: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default a logger that drops everything */
  readonly logger?: StepLogger;
}

const STEP = SagaSteps.EmitReceipt;

/**
 * Writes the order's receipt row once, publishes `OrderFulfilled` once, and records the event id on
 * the row:
 * 1. conditional PutItem (`attribute_not_exists(orderId)`); on a replay the stored row wins;
 * 2. if the row has no `eventId` yet, PutEvents (detail validated by the contracts' schema);
 *    `FailedEntryCount > 0` raises `EventPublishFailed`;
 * 3. UpdateItem `SET eventId` (`attribute_not_exists(eventId)`).
 * A replay after step 3 publishes nothing. A failure between 2 and 3 (or two invocations racing through
 * 2) publishes again: delivery is at-least-once, and consumers de-duplicate on `detail.receiptId`.
 *
 * @throws {InvalidOrderError} `InvalidOrder`: the input breaks its contract (nothing written).
 * @throws {SagaError} `EventPublishFailed`: an entry failed (its ErrorCode in the message), or EventBridge throttled / failed.
 * @throws {SagaError} `DatabaseUnavailable`: DynamoDB throttled, failed (5xx) or was unreachable.
 */
export async function emitReceipt(input: unknown, deps: EmitReceiptDeps): Promise<EmitReceiptOutput> {
  const parsed = EmitReceiptInputSchema.safeParse(input);
  if (!parsed.success) throw InvalidOrderError.fromZodError(parsed.error);
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const orderId = parsed.data.order.orderId;

  // 1. The receipt row, once.
  const candidate = receiptFor(parsed.data, now());
  const receipt = await putReceipt(candidate, deps, logger);
  if (receipt.eventId !== undefined) {
    logger.info('receipt already emitted', { orderId, step: STEP, outcome: 'replayed', receiptId: receipt.receiptId });
    return { receiptId: receipt.receiptId, eventId: receipt.eventId };
  }

  // 2. The event.
  const eventId = await publish(receipt, deps, logger);

  // 3. Remember it, so a replay does not publish again.
  const recorded = await recordEventId(receipt, eventId, now(), deps, logger);
  logger.info('receipt emitted', { orderId, step: STEP, outcome: 'emitted', receiptId: receipt.receiptId, eventId: recorded });
  return { receiptId: receipt.receiptId, eventId: recorded };
}

async function putReceipt(candidate: ReceiptRecord, deps: EmitReceiptDeps, logger: StepLogger): Promise<ReceiptRecord> {
  try {
    await deps.dynamodb.send(
      new PutItemCommand({
        TableName: deps.tables.receipts,
        Item: receiptItem(candidate),
        ConditionExpression: 'attribute_not_exists(#orderId)',
        ExpressionAttributeNames: { '#orderId': RECEIPTS_KEY },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return candidate;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw mapDynamoError(error, 'PutItem');
    const stored = await storedReceipt(error, candidate.orderId, deps);
    if (stored === undefined) {
      throw new SagaError('DatabaseUnavailable', `the receipt of order ${candidate.orderId} changed during the write; retry`);
    }
    if (stored.paymentIntentId !== candidate.paymentIntentId || stored.shipmentId !== candidate.shipmentId) {
      // The stored receipt is the record of what was fulfilled; the event must describe it.
      logger.warn('stored receipt differs from the step input', { orderId: candidate.orderId, step: STEP, reason: 'receipt_mismatch' });
    }
    return stored;
  }
}

async function publish(receipt: ReceiptRecord, deps: EmitReceiptDeps, logger: StepLogger): Promise<string> {
  // Validates the detail against the contract (a ZodError here is a defect and escalates).
  const entry = putEventsEntry(EventDetailTypes.OrderFulfilled, orderFulfilledDetail(receipt), deps.eventBusName);
  let result;
  try {
    result = await deps.eventbridge.send(new PutEventsCommand({ Entries: [entry] }));
  } catch (error) {
    logger.warn('event publish failed', { orderId: receipt.orderId, step: STEP, error: describeError(error) });
    throw mapAwsError(error, 'EventPublishFailed', 'EventBridge PutEvents');
  }
  const [first] = result.Entries ?? [];
  if ((result.FailedEntryCount ?? 0) > 0 || first?.ErrorCode !== undefined) {
    const code = first?.ErrorCode ?? 'unknown';
    logger.warn('event rejected', { orderId: receipt.orderId, step: STEP, outcome: 'publish_failed', errorCode: code });
    throw new SagaError('EventPublishFailed', `PutEvents rejected the ${EventDetailTypes.OrderFulfilled} event: ${code}`);
  }
  if (first?.EventId === undefined || first.EventId.length === 0) {
    throw new SagaError('EventPublishFailed', `PutEvents returned no EventId for the ${EventDetailTypes.OrderFulfilled} event`);
  }
  return first.EventId;
}

async function recordEventId(receipt: ReceiptRecord, eventId: string, at: Date, deps: EmitReceiptDeps, logger: StepLogger): Promise<string> {
  try {
    await deps.dynamodb.send(
      new UpdateItemCommand({
        TableName: deps.tables.receipts,
        Key: receiptKey(receipt.orderId),
        UpdateExpression: 'SET #eventId = :eventId, #publishedAt = :publishedAt',
        ConditionExpression: 'attribute_exists(#orderId) AND attribute_not_exists(#eventId)',
        ExpressionAttributeNames: { '#orderId': RECEIPTS_KEY, '#eventId': 'eventId', '#publishedAt': 'publishedAt' },
        ExpressionAttributeValues: { ':eventId': { S: eventId }, ':publishedAt': { S: at.toISOString() } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return eventId;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw mapDynamoError(error, 'UpdateItem');
    // A concurrent invocation recorded its event first: both were published; report the recorded one.
    const stored = await storedReceipt(error, receipt.orderId, deps);
    if (stored?.eventId === undefined) {
      throw new SagaError('DatabaseUnavailable', `the receipt of order ${receipt.orderId} vanished before its event id was recorded; retry`);
    }
    logger.warn('event published twice', { orderId: receipt.orderId, step: STEP, reason: 'concurrent_emit', eventId, recordedEventId: stored.eventId });
    return stored.eventId;
  }
}

/** The stored row: from the condition failure (ReturnValuesOnConditionCheckFailure) or a consistent read. */
async function storedReceipt(error: unknown, orderId: string, deps: EmitReceiptDeps): Promise<ReceiptRecord | undefined> {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  if (item !== undefined && Object.keys(item).length > 0) return parseReceiptItem(item);
  try {
    const { Item } = await deps.dynamodb.send(
      new GetItemCommand({ TableName: deps.tables.receipts, Key: receiptKey(orderId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : parseReceiptItem(Item);
  } catch (readError) {
    throw mapDynamoError(readError, 'GetItem');
  }
}
