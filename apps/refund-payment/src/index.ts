export { mapError, refundKeys, refundPayment, type PaymentLogger, type RefundPaymentDeps } from './refund-payment.js';
export { createHandler, defaultDeps, SERVICE_NAME } from './lambda.js';
