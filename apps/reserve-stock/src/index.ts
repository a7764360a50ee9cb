export { createHandler, defaultDeps, type ReserveStockLambdaDeps, SERVICE_NAME } from './lambda.js';
export { reserveStock, type ReserveStockDeps, sameLines } from './reserve-stock.js';
