import type { BookShipmentInput, Order } from '@saga/contracts';

/** A valid order whose personal data the tests look for in logs and errors. */
export function order(orderId = 'ord-2026-0001'): Order {
  return {
    orderId,
    customer: {
      id: 'cus_123',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      phone: '+447700900123',
      shippingAddress: { line1: '12 Analytical Row', line2: 'Flat 3', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    },
    lines: [
      { sku: 'BOOK-002', quantity: 1, unitPrice: 1500 },
      { sku: 'BOOK-001', quantity: 2, unitPrice: 2500 },
    ],
    currency: 'gbp',
    payment: { paymentMethodId: 'pm_card_visa' },
  };
}

export function input(orderId = 'ord-2026-0001'): BookShipmentInput {
  return {
    order: order(orderId),
    reservation: {
      reservationId: `res_${orderId}`,
      lines: [
        { sku: 'BOOK-002', quantity: 1 },
        { sku: 'BOOK-001', quantity: 2 },
      ],
    },
  };
}

/** Strings that must never appear in logs or error messages. */
export const PERSONAL_DATA = ['Ada', 'Lovelace', 'ada.lovelace@example.com', '+447700900123', '12 Analytical Row', 'Flat 3', 'N1 9GU', 'London'];
