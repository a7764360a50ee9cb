import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { orderTotal, type Order } from '@saga/contracts';
import { ORDERS_SK, OrderRecordKinds, parseReservationItem, readReceipt, readReservation, readStock } from '@saga/testkit';
import type { OrderRun } from './batch.js';
import type { LocalStack } from './local-stack.js';
import { CATALOGUE, type Sku } from './scenarios.js';

/**
 * What each order did to the outside world, read back from the stand-ins themselves (the Stripe
 * server's money movements, the reservation record and stock in DynamoDB, the receipt row, the
 * carrier's bookings), and the invariants that must hold against the execution's final status.
 */

export interface OrderLedger {
  readonly orderId: string;
  readonly total: number;
  /** PaymentIntents created for the order (more than one that moved money is a double charge). */
  readonly paymentIntents: number;
  readonly authorisedOutstanding: number;
  readonly captured: number;
  readonly refunded: number;
  readonly refunds: number;
  readonly reservation: 'none' | 'reserved' | 'released';
  readonly reservedUnits: number;
  readonly receipt: boolean;
  readonly shipments: number;
}

export async function readOrderLedger(stack: LocalStack, order: Order): Promise<OrderLedger> {
  const payments = stack.stripe.ledger({ orderId: order.orderId });
  const reservation = await readReservation(stack.dynamodb, stack.tables.orders, order.orderId);
  const receipt = await readReceipt(stack.dynamodb, stack.tables.receipts, order.orderId);
  return {
    orderId: order.orderId,
    total: orderTotal(order),
    paymentIntents: payments.filter((p) => p.authorised > 0).length,
    authorisedOutstanding: payments.filter((p) => p.status === 'requires_capture').reduce((s, p) => s + p.amount, 0),
    captured: payments.reduce((s, p) => s + p.captured, 0),
    refunded: payments.reduce((s, p) => s + p.refunded, 0),
    refunds: payments.reduce((s, p) => s + p.refunds, 0),
    reservation: reservation ? reservation.status : 'none',
    reservedUnits: reservation ? reservation.lines.reduce((s, l) => s + l.quantity, 0) : 0,
    receipt: receipt !== undefined,
    shipments: stack.carrier.bookings().filter((b) => b.orderId === order.orderId).length,
  };
}

export interface Violation {
  readonly orderId: string;
  readonly rule: string;
  readonly detail: string;
}

/** The invariants of one order: its data matches how its execution ended; nothing twice. */
export function checkOrder(run: OrderRun, ledger: OrderLedger): Violation[] {
  const out: Violation[] = [];
  const fail = (rule: string, detail: string) => out.push({ orderId: ledger.orderId, rule, detail });
  const money = `captured ${ledger.captured}, refunded ${ledger.refunded}, total ${ledger.total}`;
  if (ledger.paymentIntents > 1) fail('no double charge', `${ledger.paymentIntents} PaymentIntents authorised`);
  if (ledger.refunds > 1) fail('no double refund', `${ledger.refunds} refunds`);
  if (ledger.refunded > ledger.captured) fail('never refund more than captured', money);
  if (ledger.shipments > 1) fail('no double shipment', `${ledger.shipments} bookings`);
  if (run.outcome !== run.planned.scenario.expected) {
    fail('ends as the scenario says', `expected ${run.planned.scenario.expected}, got ${run.outcome} (${run.status}${run.error ? ` ${run.error}` : ''})`);
  }
  switch (run.outcome) {
    case 'succeeded':
      if (ledger.captured !== ledger.total || ledger.refunded !== 0) fail('a fulfilled order is paid once, in full', money);
      if (ledger.reservation !== 'reserved') fail('a fulfilled order keeps its stock', `reservation ${ledger.reservation}`);
      if (!ledger.receipt) fail('a fulfilled order has its receipt', 'no receipt row');
      if (ledger.shipments !== 1) fail('a fulfilled order is shipped once', `${ledger.shipments} bookings`);
      break;
    case 'compensated':
      if (ledger.captured !== ledger.refunded) fail('a failed order is refunded in full', money);
      if (ledger.authorisedOutstanding > 0) fail('a failed order holds no authorisation', `${ledger.authorisedOutstanding} still authorised`);
      if (ledger.reservation === 'reserved') fail('a failed order releases its stock', 'reservation still reserved');
      if (ledger.receipt) fail('a failed order has no receipt', 'receipt row present');
      break;
    case 'awaiting review':
      // Paused with its data intact: whatever committed stays as it was, nothing undone twice.
      if (ledger.captured > ledger.total) fail('an order under review is charged at most once', money);
      break;
    case 'unexpected':
      fail('every execution ends succeeded, compensated or awaiting review', `${run.status}${run.error ? ` ${run.error}` : ''}`);
      break;
    default:
      return run.outcome satisfies never;
  }
  return out;
}

/**
 * Stock is conserved: for each SKU, what left the shelf is exactly what live reservations hold
 * (every reservation record in the orders table, this batch's and earlier runs').
 */
export async function checkStock(stack: LocalStack): Promise<{ violations: Violation[]; reserved: number; released: number }> {
  const held: Record<string, number> = {};
  let reserved = 0;
  let released = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await stack.dynamodb.send(
      new ScanCommand({
        TableName: stack.tables.orders,
        FilterExpression: '#sk = :r',
        ExpressionAttributeNames: { '#sk': ORDERS_SK },
        ExpressionAttributeValues: { ':r': { S: OrderRecordKinds.reservation } },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const reservation = parseReservationItem(item);
      const units = reservation.lines.reduce((s, l) => s + l.quantity, 0);
      if (reservation.status === 'released') {
        released += units;
        continue;
      }
      reserved += units;
      for (const l of reservation.lines) held[l.sku] = (held[l.sku] ?? 0) + l.quantity;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const stock = await readStock(stack.dynamodb, stack.tables.stock, Object.keys(CATALOGUE));
  const violations: Violation[] = [];
  for (const [sku, { stock: initial }] of Object.entries(CATALOGUE) as Array<[Sku, { stock: number }]>) {
    const available = stock[sku] ?? 0;
    if (available < 0) violations.push({ orderId: '*', rule: 'stock is never negative', detail: `${sku}: ${available}` });
    if (initial - available !== (held[sku] ?? 0)) {
      violations.push({ orderId: '*', rule: 'stock is conserved', detail: `${sku}: ${initial - available} units left the shelf, reservations hold ${held[sku] ?? 0}` });
    }
  }
  return { violations, reserved, released };
}
