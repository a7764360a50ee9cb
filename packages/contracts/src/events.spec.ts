import { describe, expect, it } from 'vitest';
import {
  EVENT_SOURCE,
  EventDetailSchemas,
  EventDetailTypes,
  FulfilmentEventSchema,
  putEventsEntry,
  type OrderFulfilledDetail,
} from './index.js';

const fulfilled: OrderFulfilledDetail = {
  orderId: 'ord_2026-0001',
  customerId: 'cus_42',
  receiptId: 'rcpt_ord_2026-0001',
  payment: { paymentIntentId: 'pi_3Nabc', amount: 2899, currency: 'gbp' },
  shipment: { shipmentId: 'shp_1', carrier: 'Parcel Co', trackingNumber: 'PC123456789GB' },
  fulfilledAt: '2026-11-22T10:00:00.000Z',
};

describe('event contracts', () => {
  it('has a schema per detail-type', () => {
    expect(Object.keys(EventDetailSchemas).sort()).toEqual(Object.values(EventDetailTypes).sort());
    expect(EVENT_SOURCE).toBe('com.example.fulfilment');
  });

  it('builds a PutEvents entry with a JSON-encoded detail', () => {
    const entry = putEventsEntry('OrderFulfilled', fulfilled, 'fulfilment-bus');
    expect(entry).toEqual({
      Source: 'com.example.fulfilment',
      DetailType: 'OrderFulfilled',
      Detail: JSON.stringify(fulfilled),
      EventBusName: 'fulfilment-bus',
    });
    expect(putEventsEntry('OrderFulfilled', fulfilled)).not.toHaveProperty('EventBusName');
  });

  it('refuses to build an entry whose detail breaks its schema', () => {
    const bad = { ...fulfilled, payment: { ...fulfilled.payment, amount: -1 } };
    expect(() => putEventsEntry('OrderFulfilled', bad)).toThrow();
  });

  it('keeps personal data out of event details', () => {
    const leaky = { ...fulfilled, customerEmail: 'ada@example.com' };
    const entry = putEventsEntry('OrderFulfilled', leaky as OrderFulfilledDetail);
    expect(entry.Detail).not.toContain('ada@example.com');
  });

  it('parses an event as a rule target receives it, discriminated on detail-type', () => {
    const event = FulfilmentEventSchema.parse({
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': 'OrderFulfillmentFailed',
      source: 'com.example.fulfilment',
      account: '123456789012',
      time: '2026-11-22T10:00:00Z',
      region: 'eu-west-1',
      resources: [],
      detail: { orderId: 'ord_1', error: 'PaymentDeclined', failedStep: 'ChargePayment', compensated: true, failedAt: '2026-11-22T10:00:00Z' },
    });
    expect(event['detail-type']).toBe('OrderFulfillmentFailed');
    if (event['detail-type'] === 'OrderFulfillmentFailed') expect(event.detail.compensated).toBe(true);
  });

  it('rejects an event from another source', () => {
    const result = FulfilmentEventSchema.safeParse({
      id: '1',
      time: '2026-11-22T10:00:00Z',
      source: 'com.example.other',
      'detail-type': 'OrderFulfilled',
      detail: fulfilled,
    });
    expect(result.success).toBe(false);
  });
});
