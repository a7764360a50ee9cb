/**
 * Test fixtures of the payment steps' tests (ChargePayment, RefundPayment): an order full of personal
 * data, the order record as the state machine passes it in, and a logger that keeps its entries. Free
 * of test-runner and testkit imports, so the subpath stays loadable by a Lambda bundle (which drops
 * these as unused).
 */
import { orderRecordKey, type Order, type OrderPaymentRecord } from '@saga/contracts';
import type { PaymentLogger } from './deps.js';

/** An order whose customer carries every kind of personal data the logs must never show. */
export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    orderId: 'ord-1001',
    customer: {
      id: 'cus_1001',
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      phone: '+447700900123',
      shippingAddress: { line1: '12 Analytical Row', line2: 'Flat 3', city: 'Marylebone', postalCode: 'NW1 6XE', country: 'GB' },
    },
    lines: [
      { sku: 'SKU-1', quantity: 2, unitPrice: 1250 },
      { sku: 'SKU-2', quantity: 1, unitPrice: 499 },
    ],
    currency: 'eur',
    payment: { paymentMethodId: 'pm_card_visa' },
    ...overrides,
  };
}

/** The order's personal data, to search log output for. */
export function personalData(order: Order): string[] {
  const c = order.customer;
  return [c.name, c.email, c.phone ?? '', c.shippingAddress.line1, c.shippingAddress.line2 ?? '', c.shippingAddress.city, c.shippingAddress.postalCode]
    .filter((v) => v.length > 0);
}

/**
 * The order record as Step Functions' `dynamodb:getItem` gives it to the payment steps (the `record`
 * of their input): `Item` in DynamoDB attribute values, beside the SDK metadata the steps ignore;
 * no `Item` when `record` is `undefined` (nothing recorded).
 */
export function recordLookup(orderId: string, record?: OrderPaymentRecord): Record<string, unknown> {
  const metadata = { SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: 'local' } };
  if (record === undefined) return metadata;
  const item: Record<string, { S: string } | { N: string }> = { ...orderRecordKey(orderId), orderId: { S: orderId } };
  for (const [name, value] of Object.entries(record)) {
    if (value !== undefined) item[name] = typeof value === 'number' ? { N: String(value) } : { S: value };
  }
  return { Item: item, ...metadata };
}

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  extra: unknown[];
}

/** A logger that keeps what it is given. */
export function memoryLogger(): PaymentLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (message: unknown, ...extra: unknown[]) => {
      entries.push({ level, message: String(message), extra });
    };
  return { entries, info: at('info'), warn: at('warn'), error: at('error') } as PaymentLogger & { entries: LogEntry[] };
}
