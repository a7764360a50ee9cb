import * as z from 'zod/mini';
import { OrderSchema } from '../order.js';
import { identifier } from '../text.js';
import { BookShipmentOutputSchema } from './book-shipment.js';
import { ChargePaymentOutputSchema } from './charge-payment.js';
import { ReserveStockOutputSchema } from './reserve-stock.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** EmitReceipt reads every forward result. */
export const EmitReceiptInputSchema = z.object({
  order: OrderSchema,
  payment: ChargePaymentOutputSchema,
  reservation: ReserveStockOutputSchema,
  shipment: BookShipmentOutputSchema,
});
export type EmitReceiptInput = z.infer<typeof EmitReceiptInputSchema>;

/** The receipt row and the published `OrderFulfilled` event (ResultPath `$.receipt`). */
export const EmitReceiptOutputSchema = z.object({
  receiptId: identifier(128),
  /** The EventBridge `EventId` of the `OrderFulfilled` event. */
  eventId: z.string().check(z.minLength(1), z.maxLength(256)),
});
export type EmitReceiptOutput = z.infer<typeof EmitReceiptOutputSchema>;
