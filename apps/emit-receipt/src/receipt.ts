import type { EmitReceiptInput, OrderFulfilledDetail } from '@saga/contracts';
import { type ReceiptRecord, receiptIdFor } from '@saga/lambda-kit/dynamo';

// What EmitReceipt makes of its input: the receipt row (layout in `@saga/lambda-kit/dynamo`) and the
// OrderFulfilled event detail. Ids, amounts and statuses only: no names, e-mails, phones or addresses.

/** The receipt of a validated EmitReceipt input. */
export function receiptFor(input: EmitReceiptInput, fulfilledAt: Date): ReceiptRecord {
  const { order, payment, reservation, shipment } = input;
  return {
    orderId: order.orderId,
    receiptId: receiptIdFor(order.orderId),
    customerId: order.customer.id,
    paymentIntentId: payment.paymentIntentId,
    amount: payment.amount,
    currency: payment.currency,
    reservationId: reservation.reservationId,
    shipmentId: shipment.shipmentId,
    carrier: shipment.carrier,
    trackingNumber: shipment.trackingNumber,
    lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })),
    fulfilledAt: fulfilledAt.toISOString(),
  };
}

/** The OrderFulfilled detail of a receipt (ids and amounts only). */
export function orderFulfilledDetail(record: ReceiptRecord): OrderFulfilledDetail {
  return {
    orderId: record.orderId,
    customerId: record.customerId,
    receiptId: record.receiptId,
    payment: { paymentIntentId: record.paymentIntentId, amount: record.amount, currency: record.currency },
    shipment: { shipmentId: record.shipmentId, carrier: record.carrier, trackingNumber: record.trackingNumber },
    fulfilledAt: record.fulfilledAt,
  };
}
