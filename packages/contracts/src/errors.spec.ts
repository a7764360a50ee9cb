import { describe, expect, it } from 'vitest';
import {
  SagaDispositions,
  SagaError,
  SagaErrorNameSchema,
  SagaErrorNames,
  SagaErrors,
  SagaStepNames,
  dispositionOf,
  errorsWithDisposition,
  isRetriable,
  isSagaError,
  isSagaErrorName,
  retriableErrors,
} from './index.js';

describe('SagaErrors taxonomy', () => {
  it('names every error the brief requires', () => {
    expect(SagaErrorNames).toEqual(
      expect.arrayContaining([
        'CarrierRateLimited',
        'CarrierUnavailable',
        'CarrierRejected',
        'CarrierResponseInvalid',
        'PaymentDeclined',
        'PaymentProviderUnavailable',
        'OutOfStock',
        'InvalidOrder',
        'OrderFulfillmentFailed',
        'EventPublishFailed',
        'CompensationFailed',
      ]),
    );
  });

  it.each(SagaErrorNames)('%s has a complete, consistent entry', (name) => {
    const spec = SagaErrors[name];
    expect(Object.keys(spec).sort()).toEqual(['description', 'onFailure', 'retriable', 'steps']);
    expect(typeof spec.retriable).toBe('boolean');
    expect(SagaDispositions).toContain(spec.onFailure);
    expect(spec.description.length).toBeGreaterThan(10);
    expect(spec.description).not.toContain('\n');
    for (const step of spec.steps) expect(SagaStepNames).toContain(step);
    // ASL error names: no `States.` prefix, no whitespace.
    expect(name).toMatch(/^[A-Z][A-Za-z]+$/);
    if (spec.retriable) expect(spec.onFailure).not.toBe('terminal');
    if (spec.onFailure !== 'terminal') expect(spec.steps.length).toBeGreaterThan(0);
  });

  it('has exactly one terminal error, the Fail state’s', () => {
    expect(errorsWithDisposition('terminal')).toEqual(['OrderFulfillmentFailed']);
  });

  it('encodes the saga semantics', () => {
    expect(SagaErrors.CarrierResponseInvalid).toMatchObject({ retriable: false, onFailure: 'escalate' });
    for (const name of ['CarrierRateLimited', 'CarrierUnavailable', 'PaymentProviderUnavailable'] as const) {
      expect(SagaErrors[name].retriable).toBe(true);
    }
    for (const name of ['PaymentDeclined', 'OutOfStock', 'CarrierRejected', 'InvalidOrder'] as const) {
      expect(SagaErrors[name]).toMatchObject({ retriable: false, onFailure: 'compensate' });
    }
    expect(SagaErrors.CompensationFailed.onFailure).toBe('escalate');
  });

  it('lists errors by disposition and retriability', () => {
    expect(errorsWithDisposition('compensate').sort()).toEqual(
      ['CarrierRejected', 'InvalidOrder', 'OutOfStock', 'PaymentDeclined'].sort(),
    );
    expect(retriableErrors()).toEqual(SagaErrorNames.filter((n) => SagaErrors[n].retriable));
    expect(retriableErrors()).toContain('CarrierRateLimited');
  });
});

describe('isRetriable / dispositionOf', () => {
  it('read the taxonomy', () => {
    expect(isRetriable('CarrierRateLimited')).toBe(true);
    expect(isRetriable('OutOfStock')).toBe(false);
    expect(dispositionOf('OutOfStock')).toBe('compensate');
    expect(dispositionOf('CarrierResponseInvalid')).toBe('escalate');
    expect(dispositionOf('OrderFulfillmentFailed')).toBe('terminal');
  });

  it.each(['States.Timeout', 'States.TaskFailed', 'Lambda.Unknown', 'TypeError', '', 'toString', '__proto__', 'constructor'])(
    'treat unknown name %j as not retriable and escalate',
    (name) => {
      expect(isRetriable(name)).toBe(false);
      expect(dispositionOf(name)).toBe('escalate');
      expect(isSagaErrorName(name)).toBe(false);
    },
  );

  it('SagaErrorNameSchema accepts exactly the taxonomy names', () => {
    for (const name of SagaErrorNames) expect(SagaErrorNameSchema.parse(name)).toBe(name);
    expect(SagaErrorNameSchema.safeParse('States.ALL').success).toBe(false);
  });
});

describe('SagaError', () => {
  it('carries the ASL error name, message, cause and rules', () => {
    const cause = new Error('ConditionalCheckFailedException');
    const error = new SagaError('OutOfStock', 'sku BOOK-001: 0 available', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OutOfStock');
    expect(error.message).toBe('sku BOOK-001: 0 available');
    expect(error.cause).toBe(cause);
    expect(error.retriable).toBe(false);
    expect(error.disposition).toBe('compensate');
    expect(String(error)).toBe('OutOfStock: sku BOOK-001: 0 available');
  });

  it('serialises the way Lambda reports it (errorType = name)', () => {
    const error = new SagaError('CarrierRateLimited', '429 from carrier');
    const lambdaCause = { errorType: error.name, errorMessage: error.message };
    expect(lambdaCause).toEqual({ errorType: 'CarrierRateLimited', errorMessage: '429 from carrier' });
  });

  it('is narrowed by isSagaError, optionally per name', () => {
    const error: unknown = new SagaError('PaymentDeclined', 'card_declined');
    expect(isSagaError(error)).toBe(true);
    expect(isSagaError(error, 'PaymentDeclined')).toBe(true);
    expect(isSagaError(error, 'OutOfStock')).toBe(false);
    expect(isSagaError(new Error('x'))).toBe(false);
    const lookalike = Object.assign(new Error('x'), { name: 'PaymentDeclined' });
    expect(isSagaError(lookalike, 'PaymentDeclined')).toBe(false);
    expect(isSagaError('PaymentDeclined')).toBe(false);
  });
});
