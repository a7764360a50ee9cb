import { describe, expectTypeOf, it } from 'vitest';
import {
  SagaError,
  SagaErrors,
  errorsWithDisposition,
  isSagaError,
  retriableErrors,
  type SagaDisposition,
  type SagaErrorName,
  type SagaErrorPolicy,
} from './index.js';

describe('taxonomy types', () => {
  it('fits the structural type saga() consumes', () => {
    expectTypeOf(SagaErrors).toExtend<Record<SagaErrorName, { retriable: boolean; onFailure: 'compensate' | 'escalate' | 'terminal' }>>();
    expectTypeOf(SagaErrors).toExtend<SagaErrorPolicy<SagaErrorName>>();
  });

  it('keeps literal names and rules', () => {
    expectTypeOf<SagaErrorName>().toExtend<string>();
    expectTypeOf<'OutOfStock'>().toExtend<SagaErrorName>();
    expectTypeOf<'States.Timeout'>().not.toExtend<SagaErrorName>();
    expectTypeOf(SagaErrors.CarrierResponseInvalid.onFailure).toEqualTypeOf<'escalate'>();
    expectTypeOf(SagaErrors.CarrierRateLimited.retriable).toEqualTypeOf<true>();
  });

  it('computes name subsets from the rules', () => {
    expectTypeOf(errorsWithDisposition('terminal')).toEqualTypeOf<Array<'OrderFulfillmentFailed'>>();
    expectTypeOf(retriableErrors()).items.toExtend<SagaErrorName>();
    expectTypeOf<'OutOfStock'>().not.toExtend<ReturnType<typeof retriableErrors>[number]>();
  });

  it('types SagaError by name', () => {
    const error = new SagaError('OutOfStock', 'none left');
    expectTypeOf(error.name).toEqualTypeOf<'OutOfStock'>();
    expectTypeOf(error.disposition).toEqualTypeOf<SagaDisposition>();
    // @ts-expect-error not a taxonomy name
    new SagaError('NoSuchError', 'x');
    const unknownError: unknown = error;
    if (isSagaError(unknownError, 'PaymentDeclined')) expectTypeOf(unknownError.name).toEqualTypeOf<'PaymentDeclined'>();
  });
});
