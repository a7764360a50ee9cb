import * as z from 'zod/mini';
import type { Order } from '../order.js';
import type { PaymentRecordLookup } from '../order-record.js';

/**
 * The check both payment steps' inputs share: the record, when it names an order, is this order's (the
 * state machine looked up the right key). Internal to the step contracts (not exported by the package).
 */
export const recordOfTheOrder = z.refine<{ order: Order; record: PaymentRecordLookup }>(
  ({ order, record }) => (record.Item?.orderId?.S ?? order.orderId) === order.orderId,
  { message: 'record_of_another_order', path: ['record', 'Item', 'orderId', 'S'] },
);
