import {
  type CancellationReason,
  type DynamoDBClient,
  GetItemCommand,
  TransactionCanceledException,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  InvalidOrderError,
  ReserveStockInputSchema,
  type ReserveStockOutput,
  type ReservedLine,
  SagaError,
  SagaSteps,
} from '@saga/contracts';
import { describeError, isAwsErrorNamed, mapDynamoError, TRANSIENT_CANCELLATION_CODES } from '@saga/lambda-kit/aws';
import {
  parseReservationItem,
  type ReservationRecord,
  reservationIdFor,
  reservationItem,
  reservationKey,
  STOCK_AVAILABLE,
  STOCK_KEY,
} from '@saga/lambda-kit/dynamo';
import { silentLogger, type StepLogger } from '@saga/lambda-kit/logger';

/** What {@link reserveStock} needs from the outside world. */
export interface ReserveStockDeps {
  readonly dynamodb: DynamoDBClient;
  readonly tables: { readonly stock: string; readonly orders: string };
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** @default a logger that drops everything */
  readonly logger?: StepLogger;
}

const STEP = SagaSteps.ReserveStock;

/**
 * Reserves every line of the order in ONE DynamoDB transaction: a conditional decrement per SKU
 * (`available >= quantity`) plus the order's reservation record (`attribute_not_exists`). All lines are
 * reserved or none; a replay finds the record and returns it without touching stock.
 *
 * @throws {InvalidOrderError} `InvalidOrder`: the input breaks its contract (nothing written), or the
 *   order's existing reservation does not match it / was already released.
 * @throws {SagaError} `OutOfStock`: a line's SKU has too few units (or does not exist); nothing reserved.
 * @throws {SagaError} `DatabaseUnavailable`: throttling, a transaction conflict, 5xx or a network error; retry.
 */
export async function reserveStock(input: unknown, deps: ReserveStockDeps): Promise<ReserveStockOutput> {
  const parsed = ReserveStockInputSchema.safeParse(input);
  if (!parsed.success) throw InvalidOrderError.fromZodError(parsed.error);
  const { order } = parsed.data;
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());

  const lines: ReservedLine[] = order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity }));
  const record: ReservationRecord = {
    orderId: order.orderId,
    reservationId: reservationIdFor(order.orderId),
    status: 'reserved',
    lines,
    reservedAt: now().toISOString(),
  };

  // Index 0 is the reservation record, index i + 1 is line i: CancellationReasons follow this order.
  const transactItems: TransactWriteItem[] = [
    {
      Put: {
        TableName: deps.tables.orders,
        Item: reservationItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    ...lines.map(
      (line): TransactWriteItem => ({
        Update: {
          TableName: deps.tables.stock,
          Key: { [STOCK_KEY]: { S: line.sku } },
          UpdateExpression: 'SET #available = #available - :quantity',
          ConditionExpression: 'attribute_exists(#sku) AND #available >= :quantity',
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
      const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
      return onCancelled(reasons, error, lines, order.orderId, deps, logger);
    }
    logger.warn('stock reservation failed', { orderId: order.orderId, step: STEP, error: describeError(error) });
    throw mapDynamoError(error, 'TransactWriteItems');
  }

  logger.info('stock reserved', { orderId: order.orderId, step: STEP, outcome: 'reserved', lines: lines.length });
  return { reservationId: record.reservationId, lines };
}

async function onCancelled(
  reasons: readonly CancellationReason[],
  error: unknown,
  lines: readonly ReservedLine[],
  orderId: string,
  deps: ReserveStockDeps,
  logger: StepLogger,
): Promise<ReserveStockOutput> {
  const codes = reasons.map((r) => r.Code ?? 'None');

  // 1. The record exists: this order was reserved before (a retry or a replay). Nothing was written now.
  if (codes[0] === 'ConditionalCheckFailed') {
    const existing = await existingReservation(reasons[0]?.Item, orderId, deps);
    if (existing === undefined) {
      // Deleted between the transaction and the read; a retry decides afresh.
      throw new SagaError('DatabaseUnavailable', `the reservation of order ${orderId} changed during the transaction; retry`);
    }
    if (existing.status === 'released') {
      logger.warn('reservation already released', { orderId, step: STEP, outcome: 'already_released' });
      throw new InvalidOrderError([{ path: 'order.orderId', code: 'reservation_released', detail: 'the order was reserved and released before' }]);
    }
    if (!sameLines(existing.lines, lines)) {
      logger.warn('reservation differs from the order', { orderId, step: STEP, outcome: 'reservation_mismatch' });
      throw new InvalidOrderError([{ path: 'order.lines', code: 'reservation_mismatch', detail: 'the order was reserved before with other lines' }]);
    }
    logger.info('stock already reserved', { orderId, step: STEP, outcome: 'replayed', lines: existing.lines.length });
    return { reservationId: existing.reservationId, lines: [...existing.lines] };
  }

  // 2. A stock condition failed: too few units (or no such SKU). The transaction wrote nothing.
  const short = lines.filter((_, i) => codes[i + 1] === 'ConditionalCheckFailed').map((l) => l.sku);
  if (short.length > 0) {
    logger.info('out of stock', { orderId, step: STEP, outcome: 'out_of_stock', skus: short });
    throw new SagaError('OutOfStock', `Not enough stock for ${short.length === 1 ? 'SKU' : 'SKUs'} ${short.join(', ')}`, { cause: error });
  }

  // 3. A conflicting transaction or throttling: a retry can succeed.
  const transient = codes.filter((code) => TRANSIENT_CANCELLATION_CODES.has(code));
  if (transient.length > 0) {
    logger.warn('stock reservation cancelled', { orderId, step: STEP, outcome: 'retriable', reasons: codes });
    throw new SagaError('DatabaseUnavailable', `DynamoDB TransactWriteItems cancelled: ${[...new Set(transient)].join(', ')}`, {
      cause: error,
    });
  }

  // 4. Anything else (ValidationError, ItemCollectionSizeLimitExceeded, ...) is a defect: escalate as is.
  logger.error('stock reservation cancelled', { orderId, step: STEP, outcome: 'failed', reasons: codes });
  throw error;
}

async function existingReservation(
  item: CancellationReason['Item'],
  orderId: string,
  deps: ReserveStockDeps,
): Promise<ReservationRecord | undefined> {
  // DynamoDB returns the old item with the reason (ReturnValuesOnConditionCheckFailure); read it if not.
  if (item !== undefined && Object.keys(item).length > 0) return parseReservationItem(item);
  try {
    const { Item } = await deps.dynamodb.send(
      new GetItemCommand({ TableName: deps.tables.orders, Key: reservationKey(orderId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : parseReservationItem(Item);
  } catch (error) {
    throw mapDynamoError(error, 'GetItem');
  }
}

/** Whether two line lists reserve the same quantities of the same SKUs (in any order). */
export function sameLines(a: readonly ReservedLine[], b: readonly ReservedLine[]): boolean {
  if (a.length !== b.length) return false;
  const quantities = new Map(a.map((l) => [l.sku, l.quantity]));
  return b.every((l) => quantities.get(l.sku) === l.quantity);
}
