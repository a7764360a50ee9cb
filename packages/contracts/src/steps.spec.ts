import { describe, expect, it } from 'vitest';
import { clone, validOrder } from '../test/fixtures.js';
import {
  AnalyzeErrorInputSchema,
  BookShipmentInputSchema,
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
  orderTotal,
  type SagaState,
  type StepOutput,
} from './index.js';

const payment: StepOutput<'ChargePayment'> = { paymentIntentId: 'pi_3Nabc', amount: orderTotal(validOrder()), currency: 'gbp', status: 'captured' };
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

  it('let compensations run when the step they undo never returned', () => {
    expect(RefundPaymentInputSchema.parse({ order: validOrder() })).toEqual({ order: validOrder() });
  });

  it('still validate the order strictly', () => {
    const order = { ...clone(validOrder()), extra: 1 };
    expect(ReserveStockInputSchema.safeParse({ order }).success).toBe(false);
  });
});

describe('step outputs', () => {
  it('ChargePayment returns a captured Stripe PaymentIntent', () => {
    expect(ChargePaymentOutputSchema.parse(payment)).toEqual(payment);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, status: 'requires_capture' }).success).toBe(false);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, paymentIntentId: 'ch_1' }).success).toBe(false);
    expect(ChargePaymentOutputSchema.safeParse({ ...payment, amount: 0 }).success).toBe(false);
  });

  it('compensation outcomes are unions on outcome', () => {
    expect(RefundPaymentOutputSchema.parse({ outcome: 'refunded', refundId: 're_1' })).toEqual({ outcome: 'refunded', refundId: 're_1' });
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
      refund: { outcome: 'refunded', refundId: 're_1' },
      release: { outcome: 'released', reservationId: reservation.reservationId },
    };
    expect(SagaStateSchema.parse(clone(escalated))).toEqual(escalated);
  });
});
