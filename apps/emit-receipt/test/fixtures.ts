import type { Order } from '@saga/contracts';
import { anOrder } from '@saga/testkit';

/** A valid EmitReceipt input for `@saga/testkit`'s `anOrder` (2 × 1250 gbp). */
export function anEmitReceiptInput(overrides: { orderId?: string } = {}): {
  order: Order;
  payment: { paymentIntentId: string; amount: number; currency: 'gbp'; status: 'captured' };
  reservation: { reservationId: string; lines: Array<{ sku: string; quantity: number }> };
  shipment: { shipmentId: string; carrier: string; trackingNumber: string };
} {
  const order = anOrder({ orderId: overrides.orderId ?? 'ord-1', lines: [{ sku: 'SKU-A', quantity: 2, unitPrice: 1250 }] });
  return {
    order,
    payment: { paymentIntentId: 'pi_123', amount: 2500, currency: 'gbp', status: 'captured' },
    reservation: { reservationId: `rsv_${order.orderId}`, lines: [{ sku: 'SKU-A', quantity: 2 }] },
    shipment: { shipmentId: 'shp_9', carrier: 'Parcel Co', trackingNumber: 'TRK-0001' },
  };
}
