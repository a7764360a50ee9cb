export { chargePayment, chargeKeys, mapError, PaymentMismatchError, type ChargePaymentDeps, type PaymentLogger } from './charge-payment.js';
export { createHandler, defaultDeps, SERVICE_NAME } from './lambda.js';
