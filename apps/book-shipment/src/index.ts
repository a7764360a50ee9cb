export { bookShipment, bookingRequest, shipmentIdempotencyKey, type BookShipmentDeps, type CarrierBookingRequest } from './book-shipment.js';
export { BookShipmentDefaults, parseBookShipmentConfig, shipmentsUrl, type BookShipmentConfig } from './config.js';
export { createHandler, defaultDeps, SERVICE_NAME, type BookShipmentHandler } from './create-handler.js';
