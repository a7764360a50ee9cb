export { mapError, refundKeys, refundPayment, type PaymentLogger, type RefundPaymentDeps } from './refund-payment.js';
export { createHandler, defaultDeps, SERVICE_NAME } from './lambda.js';
export { ConfigurationError, loadConfig, parseStripeApiBase, type PaymentConfig, type StripeApiBase, type StripeConfig } from './config.js';
export { createStripeClient, createStripeProvider, isStripeError, readStripeKey, type StripeProvider } from './stripe-client.js';
export { ORDER_PK_PREFIX, ORDER_RECORD_SK, orderRecordKey, readPaymentRecord, type OrderPaymentRecord, type PaymentStatus } from './order-record.js';
