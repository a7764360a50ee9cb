/**
 * The order-fulfilment saga both engines run in `engine.bench.ts`.
 *
 * Plain ASL (JSONPath), legacy Lambda function ARNs, so that neither engine needs an optimized
 * integration: ChargePayment → ReserveStock → BookShipment (Retry on CarrierRateLimited: 2 s,
 * ×2, 5 attempts, capped at 60 s, FULL jitter; Catch → Parallel compensation RefundPayment ‖
 * ReleaseStock → Fail OrderFulfillmentFailed) → EmitReceipt → Succeed.
 *
 * `bench/saga.json` is the same definition as JSON, for the peer runner (plain JS on Node 22);
 * `engine.bench.ts` checks that the two agree and rewrites the JSON if they don't.
 */
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

/** The functions the saga calls; every one has an in-process mock in `mocks.mjs`. */
export const FUNCTION_NAMES = [
  'ChargePayment',
  'ReserveStock',
  'BookShipment',
  'EmitReceipt',
  'RefundPayment',
  'ReleaseStock',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export const functionArn = (name: FunctionName) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const sagaDefinition = {
  Comment: 'Order fulfilment saga: charge, reserve, ship (retried), receipt; compensate on a failed shipment.',
  StartAt: 'ChargePayment',
  States: {
    ChargePayment: {
      Type: 'Task',
      Resource: functionArn('ChargePayment'),
      Parameters: { 'orderId.$': '$.orderId', 'amount.$': '$.total', 'customerId.$': '$.customer.id' },
      ResultPath: '$.payment',
      Next: 'ReserveStock',
    },
    ReserveStock: {
      Type: 'Task',
      Resource: functionArn('ReserveStock'),
      Parameters: { 'orderId.$': '$.orderId', 'items.$': '$.items' },
      ResultPath: '$.reservation',
      Next: 'BookShipment',
    },
    BookShipment: {
      Type: 'Task',
      Resource: functionArn('BookShipment'),
      Parameters: { 'orderId.$': '$.orderId', 'reservationId.$': '$.reservation.reservationId' },
      ResultSelector: { 'trackingNumber.$': '$.trackingNumber', 'carrier.$': '$.carrier' },
      ResultPath: '$.shipment',
      Retry: [
        {
          ErrorEquals: ['CarrierRateLimited'],
          IntervalSeconds: 2,
          BackoffRate: 2,
          MaxAttempts: 5,
          MaxDelaySeconds: 60,
          JitterStrategy: 'FULL',
        },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.errorInfo', Next: 'Compensate' }],
      Next: 'EmitReceipt',
    },
    EmitReceipt: {
      Type: 'Task',
      Resource: functionArn('EmitReceipt'),
      Parameters: { 'orderId.$': '$.orderId', 'paymentId.$': '$.payment.paymentId', 'trackingNumber.$': '$.shipment.trackingNumber' },
      ResultPath: '$.receipt',
      Next: 'OrderFulfilled',
    },
    OrderFulfilled: { Type: 'Succeed' },
    Compensate: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'RefundPayment',
          States: {
            RefundPayment: {
              Type: 'Task',
              Resource: functionArn('RefundPayment'),
              Parameters: { 'paymentId.$': '$.payment.paymentId', 'amount.$': '$.payment.amount' },
              End: true,
            },
          },
        },
        {
          StartAt: 'ReleaseStock',
          States: {
            ReleaseStock: {
              Type: 'Task',
              Resource: functionArn('ReleaseStock'),
              Parameters: { 'reservationId.$': '$.reservation.reservationId' },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.compensation',
      Next: 'OrderFulfillmentFailed',
    },
    OrderFulfillmentFailed: {
      Type: 'Fail',
      Error: 'OrderFulfillmentFailed',
      Cause: 'The shipment could not be booked; the payment was refunded and the stock released.',
    },
  },
} as const;

/** The execution input of the i-th order. */
export function orderInput(i: number) {
  return {
    orderId: `o-${i}`,
    total: 42.5,
    currency: 'EUR',
    customer: { id: `c-${i % 97}`, email: `customer${i % 97}@example.com` },
    items: [
      { sku: 'A-1', qty: 2, price: 12.5 },
      { sku: 'B-7', qty: 1, price: 17.5 },
    ],
  };
}
