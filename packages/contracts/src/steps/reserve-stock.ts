import * as z from 'zod/mini';
import { OrderSchema, SkuSchema } from '../order.js';
import { identifier } from '../text.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** ReserveStock reads the order lines. */
export const ReserveStockInputSchema = z.object({ order: OrderSchema });
export type ReserveStockInput = z.infer<typeof ReserveStockInputSchema>;

/** A reserved quantity of one SKU. */
export const ReservedLineSchema = z.object({ sku: SkuSchema, quantity: z.int().check(z.gte(1)) });
export type ReservedLine = z.infer<typeof ReservedLineSchema>;

/** The stock reservation (ResultPath `$.reservation`). */
export const ReserveStockOutputSchema = z.object({
  reservationId: identifier(128),
  lines: z.array(ReservedLineSchema).check(z.minLength(1)),
});
export type ReserveStockOutput = z.infer<typeof ReserveStockOutputSchema>;
