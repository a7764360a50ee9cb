import type { Order } from '../src/index.js';

/** A valid order; every call returns a fresh object so tests can mutate it. */
export function validOrder(): Order {
  return {
    orderId: 'ord_2026-0001',
    customer: {
      id: 'cus_42',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+447700900123',
      shippingAddress: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    },
    lines: [
      { sku: 'BOOK-001', quantity: 2, unitPrice: 1250 },
      { sku: 'PEN-7', quantity: 1, unitPrice: 399 },
    ],
    currency: 'gbp',
    payment: { paymentMethodId: 'pm_card_visa' },
  };
}

/** A JSON round-trip, so tests feed schemas plain data as Step Functions would. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
