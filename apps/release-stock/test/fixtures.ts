import type { Order } from '@saga/contracts';

/** Personal data of the fixture customer: must never appear in logs or error messages. */
export const PII = ['Ada Lovelace', 'ada@example.com', '+447700900123', '12 Analytical Row', 'N1 9GU'] as const;

/** A valid order; override any top-level field. */
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

/** A StepLogger that records every call. */
export function recordingLogger(): {
  calls: Array<{ level: string; message: string; attributes: unknown[] }>;
  debug(message: string, ...attributes: unknown[]): void;
  info(message: string, ...attributes: unknown[]): void;
  warn(message: string, ...attributes: unknown[]): void;
  error(message: string, ...attributes: unknown[]): void;
  addContext(): void;
} {
  const calls: Array<{ level: string; message: string; attributes: unknown[] }> = [];
  const at =
    (level: string) =>
    (message: string, ...attributes: unknown[]): void => {
      calls.push({ level, message, attributes });
    };
  return { calls, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), addContext() {} };
}
