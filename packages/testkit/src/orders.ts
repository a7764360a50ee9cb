import type { Order } from '@saga/contracts';

// The order the step tests run on. Its customer carries every kind of personal data, so a test can
// assert that none of it reaches a log line, an error message or a stored record.

/** The personal data of {@link anOrder}'s customer: must never appear in logs, errors or records. */
export const PII = ['Ada Lovelace', 'ada@example.com', '+447700900123', '12 Analytical Row', 'N1 9GU'] as const;

/** A valid order (`ord-1`, one line of SKU-A, gbp); override any top-level field. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'ord-1',
    customer: {
      id: 'cus_42',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+447700900123',
      shippingAddress: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    },
    lines: [{ sku: 'SKU-A', quantity: 1, unitPrice: 1250 }],
    currency: 'gbp',
    payment: { paymentMethodId: 'pm_card_visa' },
    ...overrides,
  };
}
