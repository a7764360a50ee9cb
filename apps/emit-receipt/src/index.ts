export { emitReceipt, type EmitReceiptDeps } from './emit-receipt.js';
export { createHandler, defaultDeps, type EmitReceiptLambdaDeps, SERVICE_NAME } from './lambda.js';
export { orderFulfilledDetail, receiptFor } from './receipt.js';
