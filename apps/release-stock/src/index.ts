export { ConfigError, loadConfig, type ReleaseStockConfig } from './config.js';
export { isTransientDynamoError, mapDynamoError } from './dynamo-errors.js';
export { createHandler, defaultDeps, type ReleaseStockLambdaDeps, SERVICE_NAME } from './lambda.js';
export { silentLogger, type StepLogger } from './logger.js';
export { type ReservationRecord } from './reservation-record.js';
export { releaseStock, type ReleaseStockDeps } from './release-stock.js';
