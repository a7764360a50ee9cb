export { ConfigError, loadConfig, type ReserveStockConfig } from './config.js';
export { isTransientDynamoError, mapDynamoError } from './dynamo-errors.js';
export { createHandler, defaultDeps, type ReserveStockLambdaDeps, SERVICE_NAME } from './lambda.js';
export { reservationIdFor, type ReservationRecord } from './reservation-record.js';
export { silentLogger, type StepLogger } from './logger.js';
export { reserveStock, type ReserveStockDeps } from './reserve-stock.js';
