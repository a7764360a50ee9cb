import * as z from 'zod/mini';
import { OrderSchema } from '../order.js';
import { ReserveStockOutputSchema } from './reserve-stock.js';

// The input is a slice of the saga state, so it is not strict: unread slots are dropped (see ../steps.ts).

/** ReleaseStock reads the order and, when ReserveStock returned, the reservation. */
export const ReleaseStockInputSchema = z.object({ order: OrderSchema, reservation: z.optional(ReserveStockOutputSchema) });
export type ReleaseStockInput = z.infer<typeof ReleaseStockInputSchema>;

/** What the compensation did (ResultPath `$.release`). */
export const ReleaseStockOutputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('released'), reservationId: ReserveStockOutputSchema.shape.reservationId }),
  z.object({ outcome: z.literal('noop') }),
]);
export type ReleaseStockOutput = z.infer<typeof ReleaseStockOutputSchema>;
