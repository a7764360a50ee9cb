export {
  bookShipment,
  bookingRequest,
  shipmentIdempotencyKey,
  type BookShipmentDeps,
  type CarrierBookingRequest,
  type StepLogger,
} from './book-shipment.js';
export { BookShipmentDefaults, ConfigError, parseBookShipmentConfig, shipmentsUrl, type BookShipmentConfig } from './config.js';
export { createHandler, defaultDeps, type BookShipmentHandler } from './create-handler.js';
