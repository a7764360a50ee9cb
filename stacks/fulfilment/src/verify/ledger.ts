import { BatchWriteItemCommand, TransactGetItemsCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { orderTotal, type Order } from '@saga/contracts';
import { OrderRecordKinds, orderRecordKey, RECEIPTS_KEY, STOCK_AVAILABLE, STOCK_KEY } from '@saga/testkit';
import type { LocalStack } from '../local/local-stack.js';

/**
 * What one order did to the outside world, read back from the stand-ins (the Stripe server's money
 * movements, the reservation record and the order's own SKUs in DynamoDB, the receipt row, the
 * carrier's bookings). Each verified order has SKUs of its own, so its stock is checked exactly and
 * orders running side by side never contend for a stock item.
 */

/** Units of each of an order's own SKUs on the shelf before it runs. */
export const INITIAL_STOCK = 1_000;

export interface OrderLedger {
  readonly total: number;
  /** PaymentIntents that authorised money for the order (more than one is a double charge). */
  readonly paymentIntents: number;
  readonly captures: number;
  readonly authorisedOutstanding: number;
  readonly captured: number;
  readonly refunded: number;
  readonly refunds: number;
  readonly reservation: 'none' | 'reserved' | 'released';
  /** Per SKU: units taken off the shelf (initial − available); negative when more came back than left. */
  readonly taken: Readonly<Record<string, number>>;
  /** Per SKU: units the order asks for. */
  readonly ordered: Readonly<Record<string, number>>;
  readonly receipt: boolean;
  readonly shipments: number;
}

/** Puts the order's own SKUs on the shelf. */
export async function seedOrderStock(stack: LocalStack, order: Order): Promise<void> {
  await stack.dynamodb.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [stack.tables.stock]: order.lines.map((l) => ({
          PutRequest: { Item: { sku: { S: l.sku }, available: { N: String(INITIAL_STOCK) } } },
        })),
      },
    }),
  );
}

/**
 * Reads the order back: one TransactGetItems (a consistent snapshot, serialisable with the handlers'
 * transactions) of the reservation record, the receipt row and the order's SKUs; the Stripe server's
 * ledger of the order; the carrier's bookings of the order.
 */
export async function readOrderLedger(stack: LocalStack, order: Order): Promise<OrderLedger> {
  const skus = [...new Set(order.lines.map((l) => l.sku))];
  const { orders, receipts, stock } = stack.tables;
  const reservationKey = orderRecordKey(order.orderId, OrderRecordKinds.reservation);
  const { Responses = [] } = await stack.dynamodb.send(
    new TransactGetItemsCommand({
      TransactItems: [
        { Get: { TableName: orders, Key: { pk: { S: reservationKey.pk }, sk: { S: reservationKey.sk } } } },
        { Get: { TableName: receipts, Key: { [RECEIPTS_KEY]: { S: order.orderId } } } },
        ...skus.map((sku) => ({ Get: { TableName: stock, Key: { [STOCK_KEY]: { S: sku } } } })),
      ],
    }),
  );
  const items: Record<string, Record<string, AttributeValue>[]> = {
    [orders]: Responses[0]?.Item ? [Responses[0].Item] : [],
    [receipts]: Responses[1]?.Item ? [Responses[1].Item] : [],
    [stock]: Responses.slice(2).flatMap((r) => (r.Item ? [r.Item] : [])),
  };
  const reservation = items[orders]![0];
  const available = new Map(items[stock]!.map((i) => [i[STOCK_KEY]?.S, Number(i[STOCK_AVAILABLE]?.N ?? NaN)]));
  const payments = stack.stripe.ledger({ orderId: order.orderId });
  const ordered: Record<string, number> = {};
  for (const l of order.lines) ordered[l.sku] = (ordered[l.sku] ?? 0) + l.quantity;
  return {
    total: orderTotal(order),
    paymentIntents: payments.filter((p) => p.authorised > 0).length,
    captures: payments.reduce((s, p) => s + p.captures, 0),
    authorisedOutstanding: payments.filter((p) => p.status === 'requires_capture').reduce((s, p) => s + p.amount, 0),
    captured: payments.reduce((s, p) => s + p.captured, 0),
    refunded: payments.reduce((s, p) => s + p.refunded, 0),
    refunds: payments.reduce((s, p) => s + p.refunds, 0),
    reservation: reservation ? (reservation['status']?.S === 'released' ? 'released' : 'reserved') : 'none',
    taken: Object.fromEntries(skus.map((sku) => [sku, INITIAL_STOCK - (available.get(sku) ?? 0)])),
    ordered,
    receipt: items[receipts]!.length > 0,
    shipments: countShipments(stack, order.orderId),
  };
}

function countShipments(stack: LocalStack, orderId: string): number {
  return stack.carrier.bookings({ orderId }).length;
}

/** Whether two reads of an order's ledger agree in every figure. */
export function sameLedger(a: OrderLedger, b: OrderLedger): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function describeLedger(l: OrderLedger): string {
  const stock = Object.entries(l.taken)
    .map(([sku, n]) => `${sku.replace(/^.*-/, '')} ${n}/${l.ordered[sku]}`)
    .join(', ');
  return (
    `charged ${l.captured}/${l.total} (${l.paymentIntents} PI, ${l.captures} captures, ${l.authorisedOutstanding} held), ` +
    `refunded ${l.refunded} (${l.refunds}), reservation ${l.reservation}, stock taken ${stock}, ` +
    `receipt ${l.receipt ? 'yes' : 'no'}, shipments ${l.shipments}`
  );
}
