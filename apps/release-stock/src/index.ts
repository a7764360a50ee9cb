export { createHandler, defaultDeps, type ReleaseStockLambdaDeps, SERVICE_NAME } from './lambda.js';
export { releaseStock, type ReleaseStockDeps } from './release-stock.js';
