export { describeError, isTransientAwsError, mapDynamoError, mapEventBridgeError } from './aws-errors.js';
export { ConfigError, type EmitReceiptConfig, loadConfig } from './config.js';
export { emitReceipt, type EmitReceiptDeps } from './emit-receipt.js';
export { createHandler, defaultDeps, type EmitReceiptLambdaDeps, SERVICE_NAME } from './lambda.js';
export { silentLogger, type StepLogger } from './logger.js';
export { orderFulfilledDetail, receiptIdFor, type ReceiptRecord } from './receipt-record.js';
