export { parseReceiptItem, type ReceiptRecord, receiptIdFor, receiptItem, receiptKey } from './receipt-record.js';
export {
  parseReservationItem,
  type ReservationRecord,
  type ReservationStatus,
  reservationIdFor,
  reservationItem,
  reservationKey,
} from './reservation-record.js';
export { type DynamoSettings, readDynamoSettings, type TableKey } from './settings.js';
export {
  DYNAMODB_ENDPOINT_ENV,
  IDEMPOTENCY_KEY,
  IDEMPOTENCY_TTL_ATTRIBUTE,
  ORDER_PK_PREFIX,
  ORDERS_PK,
  ORDERS_SK,
  type OrderRecordKind,
  OrderRecordKinds,
  orderRecordItemKey,
  orderRecordKey,
  RECEIPTS_KEY,
  STOCK_AVAILABLE,
  STOCK_KEY,
  TableEnvVars,
} from './tables.js';
