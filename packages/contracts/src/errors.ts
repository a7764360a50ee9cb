import * as z from 'zod/mini';
import { SagaSteps, type SagaStepName } from './saga-steps.js';

/**
 * What the saga does when an error reaches a Catch (after any Retry is exhausted):
 * - `compensate`: run the compensations of the committed steps, then fail with `OrderFulfillmentFailed`;
 * - `escalate`: analyse the error and wait for a human decision (retry / compensate / fail);
 * - `terminal`: the saga's own final failure; nothing more to do.
 */
export type SagaDisposition = 'compensate' | 'escalate' | 'terminal';

/** The dispositions, as a list (for schemas and exhaustive tests). */
export const SagaDispositions = ['compensate', 'escalate', 'terminal'] as const satisfies readonly SagaDisposition[];

/** One entry of the error taxonomy. */
export interface SagaErrorSpec {
  /** A Retry block should retry it (with backoff) before any Catch sees it. */
  readonly retriable: boolean;
  /** What the saga does once the error reaches a Catch. */
  readonly onFailure: SagaDisposition;
  /** The states that raise it (empty for the Fail state's own error). */
  readonly steps: readonly SagaStepName[];
  /** One line for people (runbooks, the review console). */
  readonly description: string;
}

/**
 * The structural type the DSL's `saga()` construct consumes: retry and catch rules keyed by ASL error name.
 */
export type SagaErrorPolicy<E extends string = string> = Record<
  E,
  { readonly retriable: boolean; readonly onFailure: SagaDisposition }
>;

const { ChargePayment, ReserveStock, BookShipment, EmitReceipt, RefundPayment, ReleaseStock } = SagaSteps;

/**
 * The saga's error taxonomy, keyed by ASL error name (the `name` handlers throw, which Step Functions
 * reports as `Error` and matches in `ErrorEquals`). Retry, Catch, the analyser and the console read the
 * rules from here.
 *
 * Retriable errors that exhaust their retries escalate: the dependency may recover, and a person can
 * choose to retry later rather than refund the customer.
 */
export const SagaErrors = {
  PaymentDeclined: {
    retriable: false,
    onFailure: 'compensate',
    steps: [ChargePayment],
    description: 'The card issuer or Stripe declined the payment (StripeCardError, HTTP 402).',
  },
  PaymentProviderUnavailable: {
    retriable: true,
    onFailure: 'escalate',
    steps: [ChargePayment, RefundPayment],
    description: 'Stripe was rate limiting, failing (5xx) or unreachable; retry with the same idempotency key.',
  },
  OutOfStock: {
    retriable: false,
    onFailure: 'compensate',
    steps: [ReserveStock],
    description: 'A line could not be reserved: not enough stock (DynamoDB ConditionalCheckFailed).',
  },
  DatabaseUnavailable: {
    retriable: true,
    onFailure: 'escalate',
    steps: [ReserveStock, ReleaseStock, EmitReceipt],
    description: 'DynamoDB throttled or conflicted (ProvisionedThroughputExceeded, TransactionConflict, 5xx).',
  },
  CarrierRateLimited: {
    retriable: true,
    onFailure: 'escalate',
    steps: [BookShipment],
    description: 'The carrier API answered 429; nothing was booked.',
  },
  CarrierUnavailable: {
    retriable: true,
    onFailure: 'escalate',
    steps: [BookShipment],
    description: 'The carrier API answered 5xx or refused the connection; nothing was booked.',
  },
  CarrierRejected: {
    retriable: false,
    onFailure: 'compensate',
    steps: [BookShipment],
    description: 'The carrier refused the shipment (4xx), e.g. an undeliverable address.',
  },
  CarrierResponseInvalid: {
    retriable: false,
    onFailure: 'escalate',
    steps: [BookShipment],
    description: 'The carrier answered with a body we cannot read: the shipment may or may not be booked.',
  },
  EventPublishFailed: {
    retriable: true,
    onFailure: 'escalate',
    steps: [EmitReceipt],
    description: 'EventBridge PutEvents returned FailedEntryCount > 0; the receipt event was not published.',
  },
  InvalidOrder: {
    retriable: false,
    onFailure: 'compensate',
    steps: [ChargePayment, ReserveStock, BookShipment, EmitReceipt],
    description: 'The order or a step input failed its contract schema.',
  },
  CompensationFailed: {
    retriable: false,
    onFailure: 'escalate',
    steps: [RefundPayment, ReleaseStock],
    description: 'A compensation could not undo its step; money or stock needs a person.',
  },
  OrderFulfillmentFailed: {
    retriable: false,
    onFailure: 'terminal',
    steps: [],
    description: 'The saga failed; raised by its Fail state after compensation or a human "fail" decision.',
  },
} as const satisfies Record<string, SagaErrorSpec>;

/** Any error name of the taxonomy. */
export type SagaErrorName = keyof typeof SagaErrors;

/** Every error name of the taxonomy, in declaration order. */
export const SagaErrorNames = Object.keys(SagaErrors) as readonly SagaErrorName[];

/** Schema of a taxonomy error name. */
export const SagaErrorNameSchema = z.enum(SagaErrorNames as [SagaErrorName, ...SagaErrorName[]]);

/** True when `name` is an error name of the taxonomy. */
export function isSagaErrorName(name: unknown): name is SagaErrorName {
  return typeof name === 'string' && Object.hasOwn(SagaErrors, name);
}

/** Whether a Retry block should retry the error. Unknown names are not retriable. */
export function isRetriable(name: string): boolean {
  return isSagaErrorName(name) ? SagaErrors[name].retriable : false;
}

/** What the saga does when the error reaches a Catch. Unknown names (and `States.*`) escalate. */
export function dispositionOf(name: string): SagaDisposition {
  return isSagaErrorName(name) ? SagaErrors[name].onFailure : 'escalate';
}

/** The names of the errors with a given disposition (e.g. the `ErrorEquals` of the compensate Catch). */
export function errorsWithDisposition<D extends SagaDisposition>(
  disposition: D,
): Array<{ [K in SagaErrorName]: (typeof SagaErrors)[K]['onFailure'] extends D ? K : never }[SagaErrorName]> {
  return SagaErrorNames.filter((name) => SagaErrors[name].onFailure === disposition) as never;
}

/** The names of the retriable errors (the `ErrorEquals` of the Retry block). */
export function retriableErrors(): Array<
  { [K in SagaErrorName]: (typeof SagaErrors)[K]['retriable'] extends true ? K : never }[SagaErrorName]
> {
  return SagaErrorNames.filter((name) => SagaErrors[name].retriable) as never;
}

/**
 * An error a handler throws. Its `name` is the ASL error name, so Lambda reports it as `errorType`,
 * Step Functions as `Error`, and Retry/Catch match it.
 *
 * @example throw new SagaError('OutOfStock', 'sku ABC-1: 0 available', { cause: err })
 */
export class SagaError<N extends SagaErrorName = SagaErrorName> extends Error {
  override readonly name: N;

  constructor(name: N, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }

  /** Whether a Retry block should retry this error. */
  get retriable(): boolean {
    return isRetriable(this.name);
  }

  /** What the saga does when this error reaches a Catch. */
  get disposition(): SagaDisposition {
    return dispositionOf(this.name);
  }
}

/**
 * Narrows `value` to a {@link SagaError}, optionally with a given name.
 *
 * @example if (isSagaError(err, 'OutOfStock')) { ... err.name is 'OutOfStock' }
 */
export function isSagaError<N extends SagaErrorName>(value: unknown, name: N): value is SagaError<N>;
export function isSagaError(value: unknown): value is SagaError;
export function isSagaError(value: unknown, name?: SagaErrorName): boolean {
  return value instanceof SagaError && (name === undefined || value.name === name);
}
