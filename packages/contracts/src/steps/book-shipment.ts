import * as z from 'zod/mini';
import { OrderSchema } from '../order.js';
import { identifier, singleLineText } from '../text.js';
import { ReserveStockOutputSchema } from './reserve-stock.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** BookShipment reads the order (address, recipient, lines) and the reservation it ships. */
export const BookShipmentInputSchema = z.object({ order: OrderSchema, reservation: ReserveStockOutputSchema });
export type BookShipmentInput = z.infer<typeof BookShipmentInputSchema>;

/** The booked shipment (ResultPath `$.shipment`). */
export const BookShipmentOutputSchema = z.object({
  shipmentId: identifier(128),
  carrier: singleLineText(100),
  trackingNumber: identifier(128),
});
export type BookShipmentOutput = z.infer<typeof BookShipmentOutputSchema>;
