import { describe, expect, it } from 'vitest';
import { clone, validOrder } from '../test/fixtures.js';
import {
  AnalyzeErrorInputSchema,
  BookShipmentInputSchema,
  ChargeAuthorisationSchema,
  ChargePaymentInputSchema,
  ChargePaymentOutputSchema,
  Compensations,
  EmitReceiptInputSchema,
  ForwardSteps,
  RefundPaymentInputSchema,
  RefundPaymentOutputSchema,
  ReleaseStockOutputSchema,
  ReserveStockInputSchema,
  ResultPaths,
  SagaErrors,
  SagaStateSchema,
  SagaSteps,
  StepContracts,
  InvalidOrderError,
  orderTotal,
  type ChargePaymentOutput,
  type SagaState,
  type StepInput,
  type StepOutput,
} from './index.js';

const payment: ChargePaymentOutput = { paymentIntentId: 'pi_3Nabc', amount: orderTotal(validOrder()), currency: 'gbp', status: 'captured' };
const reservation: StepOutput<'ReserveStock'> = { reservationId: 'res_ord_2026-0001', lines: [{ sku: 'BOOK-001', quantity: 2 }, { sku: 'PEN-7', quantity: 1 }] };
const shipment: StepOutput<'BookShipment'> = { shipmentId: 'shp_1', carrier: 'Parcel Co', trackingNumber: 'PC123456789GB' };

describe('SagaSteps', () => {
  it('names every state the saga needs, each under its own name', () => {
    for (const [key, value] of Object.entries(SagaSteps)) expect(value).toBe(key);
    expect(ForwardSteps).toEqual(['ChargePayment', 'ReserveStock', 'BookShipment', 'EmitReceipt']);
    expect(Compensations).toEqual({ ChargePayment: 'RefundPayment', ReserveStock: 'ReleaseStock' });
  });

  it('has a contract and a ResultPath for every Task', () => {
    const tasks = Object.keys(StepContracts);
    expect(tasks.sort()).toEqual([...ForwardSteps, 'RefundPayment', 'ReleaseStock', 'AnalyzeError'].sort());
    for (const task of tasks) expect(ResultPaths).toHaveProperty(task);
  });

  it('writes every ResultPath into a slot of the saga state', () => {
    const slots = Object.keys(SagaStateSchema.shape);
    for (const path of Object.values(ResultPaths)) expect(slots).toContain(path.slice(2));
  });

  it('raises only errors from forward or compensation steps', () => {
    for (const spec of Object.values(SagaErrors)) for (const step of spec.steps) expect(Object.keys(StepContracts)).toContain(step);
  });
});

describe('step inputs are slices of the saga state', () => {
  const state: SagaState = { order: validOrder(), payment, reservation, shipment };

  it('parse from the whole state and drop unread slots', () => {
    const input = ReserveStockInputSchema.parse(clone(state));
    expect(input).toEqual({ order: validOrder() });
    expect(BookShipmentInputSchema.parse(clone(state))).toEqual({ order: validOrder(), reservation });
    expect(EmitReceiptInputSchema.parse(clone(state))).toEqual(state);
  });

  it('require the slots a step reads', () => {
    expect(EmitReceiptInputSchema.safeParse({ order: validOrder(), payment, reservation }).success).toBe(false);
  });

  it('give the compensation the order record as dynamodb:getItem returns it, with or without an Item', () => {
    const record = { Item: { paymentIntentId: { S: 'pi_3Nabc' } }, SdkHttpMetadata: { HttpStatusCode: 200 } };
    expect(RefundPaymentInputSchema.parse({ ...clone(state), record })).toEqual({ order: validOrder(), record: { Item: { paymentIntentId: { S: 'pi_3Nabc' } } } });
    expect(RefundPaymentInputSchema.parse({ order: validOrder(), record: {} })).toEqual({ order: validOrder(), record: {} });
    expect(RefundPaymentInputSchema.safeParse({ order: validOrder() }).success).toBe(false);
  });

  it("refuse a record of another order (the state machine looked up the wrong key)", () => {
    const record = { Item: { orderId: { S: 'ord_other' } } };
    const result = RefundPaymentInputSchema.safeParse({ order: validOrder(), record });
    expect(result.success).toBe(false);
    expect(InvalidOrderError.fromZodError(result.error!).message).toBe('Invalid order: 1 issue: record.Item.orderId.S custom (record_of_another_order)');
    expect(RefundPaymentInputSchema.safeParse({ order: validOrder(), record: { Item: { orderId: { S: validOrder().orderId } } } }).success).toBe(true);
  });

  it('still validate the order strictly', () => {
    const order = { ...clone(validOrder()), extra: 1 };
    expect(ReserveStockInputSchema.safeParse({ order }).success).toBe(false);
  });
});

describe('ChargePayment input: one Lambda, two actions', () => {
  const authorised = { paymentIntentId: 'pi_3Nabc', amount: orderTotal(validOrder()), currency: 'gbp', status: 'authorised' } as const;
  const created = { ...authorised, status: 'created' } as const;

  it('authorise takes the order, its record (getItem output) and the previous result or null', () => {
    const input: StepInput<'ChargePayment'> = ChargePaymentInputSchema.parse({ action: 'authorise', order: validOrder(), record: {}, previous: null, payment });
    expect(input).toEqual({ action: 'authorise', order: validOrder(), record: {}, previous: null });
    expect(ChargePaymentInputSchema.parse({ action: 'authorise', order: validOrder(), record: {}, previous: authorised })).toMatchObject({ previous: authorised });
    // The second call: the created PaymentIntent, recorded, comes back as `previous` to be confirmed.
    expect(ChargePaymentInputSchema.parse({ action: 'authorise', order: validOrder(), record: {}, previous: created })).toMatchObject({ previous: created });
    expect(ChargePaymentInputSchema.safeParse({ action: 'authorise', order: validOrder(), record: {} }).success).toBe(false);
  });

  it('capture takes the order and an authorised authorisation only', () => {
    expect(ChargePaymentInputSchema.parse({ action: 'capture', order: validOrder(), authorisation: authorised })).toEqual({
      action: 'capture',
      order: validOrder(),
      authorisation: authorised,
    });
    for (const authorisation of [payment, created]) {
      const refused = ChargePaymentInputSchema.safeParse({ action: 'capture', order: validOrder(), authorisation });
      expect(InvalidOrderError.fromZodError(refused.error!).message).toBe('Invalid order: 1 issue: authorisation.status invalid_value (not an allowed value)');
    }
  });

  it('refuses an unknown action, or none', () => {
    for (const input of [{ order: validOrder() }, { action: 'refund', order: validOrder() }]) {
      const result = ChargePaymentInputSchema.safeParse(input);
      expect(InvalidOrderError.fromZodError(result.error!).message).toBe('Invalid order: 1 issue: action invalid_union');
    }
  });
});

describe('step outputs', () => {
  it('ChargePayment authorise returns an authorisation: created, authorised, captured or declined (with the decline code)', () => {
    const declined = { paymentIntentId: 'pi_3Nabc', amount: 2500, currency: 'gbp', status: 'declined', declineReason: 'insufficient_funds' };
    const output: StepOutput<'ChargePayment'> = ChargeAuthorisationSchema.parse(declined);
    expect(output).toEqual(declined);
    expect(ChargeAuthorisationSchema.parse({ ...payment, status: 'created' })).toEqual({ ...payment, status: 'created' });
    expect(ChargeAuthorisationSchema.parse({ ...payment, status: 'authorised' })).toEqual({ ...payment, status: 'authorised' });
    expect(ChargeAuthorisationSchema.parse(payment)).toEqual(payment);
    expect(ChargeAuthorisationSchema.safeParse({ ...declined, declineReason: undefined }).success).toBe(false);
    expect(ChargeAuthorisationSchema.safeParse({ ...declined, declineReason: 'Card 4242 declined' }).success).toBe(false);
    expect(ChargeAuthorisationSchema.safeParse({ ...payment, status: 'requires_capture' }).success).toBe(false);
  });

  it('ChargePayment returns a captured Stripe PaymentIntent', () => {
    expect(ChargePaymentOutputSchema.parse(payment)).toEqual(payment);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, status: 'requires_capture' }).success).toBe(false);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, paymentIntentId: 'ch_1' }).success).toBe(false);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, amount: 0 }).success).toBe(false);
  });

  it('compensation outcomes are unions on outcome', () => {
    const refunded = { outcome: 'refunded', paymentIntentId: 'pi_1', refundId: 're_1' };
    expect(RefundPaymentOutputSchema.parse(refunded)).toEqual(refunded);
    expect(RefundPaymentOutputSchema.safeParse({ outcome: 'refunded', refundId: 're_1' }).success).toBe(false);
    expect(RefundPaymentOutputSchema.parse({ outcome: 'canceled', paymentIntentId: 'pi_1' }).outcome).toBe('canceled');
    expect(RefundPaymentOutputSchema.parse({ outcome: 'noop' })).toEqual({ outcome: 'noop' });
    expect(RefundPaymentOutputSchema.safeParse({ outcome: 'refunded' }).success).toBe(false);
    expect(RefundPaymentOutputSchema.safeParse({ outcome: 'partially_refunded' }).success).toBe(false);
    expect(ReleaseStockOutputSchema.parse({ outcome: 'released', reservationId: 'res_1' }).outcome).toBe('released');
    expect(ReleaseStockOutputSchema.safeParse({ outcome: 'released' }).success).toBe(false);
  });
});

describe('AnalyzeError input', () => {
  const input = {
    errorInfo: { Error: 'CarrierResponseInvalid', Cause: '{"errorMessage":"unexpected token <"}' },
    context: { orderId: 'ord_2026-0001', failedStep: 'BookShipment', attempts: 1 },
  };

  it('accepts the error and allow-listed context', () => {
    expect(AnalyzeErrorInputSchema.parse(input)).toEqual(input);
  });

  it('rejects anything outside the allow-list, such as customer data', () => {
    expect(AnalyzeErrorInputSchema.safeParse({ ...input, order: validOrder() }).success).toBe(false);
    expect(AnalyzeErrorInputSchema.safeParse({ ...input, context: { ...input.context, email: 'ada@example.com' } }).success).toBe(false);
  });
});

describe('SagaStateSchema', () => {
  it('accepts the state at every stage', () => {
    expect(SagaStateSchema.parse({ order: validOrder() })).toEqual({ order: validOrder() });
    const escalated: SagaState = {
      order: validOrder(),
      payment,
      reservation,
      errorInfo: { Error: 'CarrierResponseInvalid', Cause: 'x' },
      failedStep: 'BookShipment',
      analysis: { source: 'rules', category: 'dependency', retriable: false, likelyCause: 'x', remediation: [], confidence: 0.5 },
      review: { outcome: 'compensate', reviewer: 'sam', decidedAt: '2026-11-22T10:05:00Z' },
      refund: { outcome: 'refunded', paymentIntentId: payment.paymentIntentId, refundId: 're_1' },
      release: { outcome: 'released', reservationId: reservation.reservationId },
    };
    expect(SagaStateSchema.parse(clone(escalated))).toEqual(escalated);
  });
});
