import {
  type CancellationReason,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidOrderError, ReleaseStockInputSchema, type ReleaseStockOutput, SagaError, SagaSteps } from '@saga/contracts';
import { describeError, isAwsErrorNamed, mapDynamoError, TRANSIENT_CANCELLATION_CODES } from '@saga/lambda-kit/aws';
import { parseReservationItem, type ReservationRecord, reservationKey, STOCK_AVAILABLE, STOCK_KEY } from '@saga/lambda-kit/dynamo';
import { silentLogger, type StepLogger } from '@saga/lambda-kit/logger';

/** What {@link releaseStock} needs from the outside world. */
export interface ReleaseStockDeps {
  readonly dynamodb: DynamoDBClient;
  readonly tables: { readonly stock: string; readonly orders: string };
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default a logger that drops everything */
  readonly logger?: StepLogger;
}

const STEP = SagaSteps.ReleaseStock;

/**
 * Gives an order's reserved stock back, once. The reservation record in the orders table is the truth
 * (the step input's `reservation` is optional: ReserveStock may have failed after committing):
 * - no record (never reserved) or a `released` record → `noop`;
 * - otherwise ONE transaction adds each line's quantity back and flips the record to `released`,
 *   conditioned on its status still being `reserved`, so concurrent or repeated releases add stock once.
 *
 * @throws {InvalidOrderError} `InvalidOrder`: the input breaks its contract (nothing written).
 * @throws {SagaError} `DatabaseUnavailable`: throttling, a transaction conflict, 5xx or a network error; retry.
 * @throws {SagaError} `CompensationFailed`: a reserved SKU is gone from the stock table; a person must restock it.
 */
export async function releaseStock(input: unknown, deps: ReleaseStockDeps): Promise<ReleaseStockOutput> {
  const parsed = ReleaseStockInputSchema.safeParse(input);
  if (!parsed.success) throw InvalidOrderError.fromZodError(parsed.error);
  const { order, reservation } = parsed.data;
  const orderId = order.orderId;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());

  const record = await readReservation(orderId, deps);
  if (record === undefined) {
    logger.info('nothing to release', { orderId, step: STEP, outcome: 'noop', reason: 'not_reserved' });
    return { outcome: 'noop' };
  }
  if (record.status === 'released') {
    logger.info('stock already released', { orderId, step: STEP, outcome: 'noop', reason: 'already_released' });
    return { outcome: 'noop' };
  }
  if (reservation !== undefined && reservation.reservationId !== record.reservationId) {
    // The stored record is what was taken from stock; release that.
    logger.warn('step input names another reservation', { orderId, step: STEP, reason: 'reservation_id_mismatch' });
  }

  // Index 0 is the reservation record, index i + 1 is line i: CancellationReasons follow this order.
  const transactItems: TransactWriteItem[] = [
    {
      Update: {
        TableName: deps.tables.orders,
        Key: reservationKey(orderId),
        UpdateExpression: 'SET #status = :released, #releasedAt = :now',
        ConditionExpression: '#status = :reserved',
        ExpressionAttributeNames: { '#status': 'status', '#releasedAt': 'releasedAt' },
        ExpressionAttributeValues: { ':released': { S: 'released' }, ':reserved': { S: 'reserved' }, ':now': { S: now().toISOString() } },
      },
    },
    ...record.lines.map(
      (line): TransactWriteItem => ({
        Update: {
          TableName: deps.tables.stock,
          Key: { [STOCK_KEY]: { S: line.sku } },
          // ADD treats a missing `available` as 0; the SKU item itself must still exist.
          UpdateExpression: 'ADD #available :quantity',
          ConditionExpression: 'attribute_exists(#sku)',
          ExpressionAttributeNames: { '#available': STOCK_AVAILABLE, '#sku': STOCK_KEY },
          ExpressionAttributeValues: { ':quantity': { N: String(line.quantity) } },
        },
      }),
    ),
  ];

  try {
    await deps.dynamodb.send(new TransactWriteItemsCommand({ TransactItems: transactItems }));
  } catch (error) {
    if (error instanceof TransactionCanceledException || isAwsErrorNamed(error, 'TransactionCanceledException')) {
      return onCancelled((error as TransactionCanceledException).CancellationReasons ?? [], error, record, logger);
    }
    logger.warn('stock release failed', { orderId, step: STEP, error: describeError(error) });
    throw mapDynamoError(error, 'TransactWriteItems');
  }

  logger.info('stock released', { orderId, step: STEP, outcome: 'released', lines: record.lines.length });
  return { outcome: 'released', reservationId: record.reservationId };
}

function onCancelled(
  reasons: readonly CancellationReason[],
  error: unknown,
  record: ReservationRecord,
  logger: StepLogger,
): ReleaseStockOutput {
  const { orderId } = record;
  const codes = reasons.map((r) => r.Code ?? 'None');

  // 1. The record is no longer `reserved`: a concurrent release won. Its transaction restored the stock.
  if (codes[0] === 'ConditionalCheckFailed') {
    logger.info('stock already released', { orderId, step: STEP, outcome: 'noop', reason: 'released_concurrently' });
    return { outcome: 'noop' };
  }

  // 2. A reserved SKU no longer exists: nothing was written; the units need a person.
  const missing = record.lines.filter((_, i) => codes[i + 1] === 'ConditionalCheckFailed').map((l) => l.sku);
  if (missing.length > 0) {
    logger.error('stock release impossible', { orderId, step: STEP, outcome: 'failed', skus: missing });
    throw new SagaError(
      'CompensationFailed',
      `Cannot release the stock of order ${orderId}: ${missing.length === 1 ? 'SKU' : 'SKUs'} ${missing.join(', ')} no longer in the stock table`,
      { cause: error },
    );
  }

  // 3. A conflicting transaction or throttling: a retry can succeed.
  const transient = codes.filter((code) => TRANSIENT_CANCELLATION_CODES.has(code));
  if (transient.length > 0) {
    logger.warn('stock release cancelled', { orderId, step: STEP, outcome: 'retriable', reasons: codes });
    throw new SagaError('DatabaseUnavailable', `DynamoDB TransactWriteItems cancelled: ${[...new Set(transient)].join(', ')}`, {
      cause: error,
    });
  }

  // 4. Anything else is a defect: escalate as is.
  logger.error('stock release cancelled', { orderId, step: STEP, outcome: 'failed', reasons: codes });
  throw error;
}

async function readReservation(orderId: string, deps: ReleaseStockDeps): Promise<ReservationRecord | undefined> {
  let item;
  try {
    ({ Item: item } = await deps.dynamodb.send(
      new GetItemCommand({ TableName: deps.tables.orders, Key: reservationKey(orderId), ConsistentRead: true }),
    ));
  } catch (error) {
    throw mapDynamoError(error, 'GetItem');
  }
  return item === undefined ? undefined : parseReservationItem(item);
}
