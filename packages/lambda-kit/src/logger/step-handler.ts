import { isSagaError } from '@saga/contracts';
import type { Context } from 'aws-lambda';
import { describeError } from '../aws/errors.js';
import type { StepLogger } from './step-logger.js';

/** A Lambda handler of a saga step: Step Functions passes the task input as `event`. */
export type StepHandler<Output> = (event: unknown, context?: Context) => Promise<Output>;

/** The logger a handler writes to: a {@link StepLogger} that may take the Lambda context (Powertools does). */
export type HandlerLogger = StepLogger & { addContext?(context: Context): void };

/** Options of {@link createStepHandler}. */
export interface StepHandlerOptions {
  /**
   * Log each failure once, at `error`, as `<step> failed` with `{ step, errorName, retriable, error }`
   * (a `SagaError`'s message, else the foreign error's name, code and status). Leave unset when the use
   * case logs its own failures.
   */
  readonly logFailuresAs?: string;
}

/**
 * The Lambda handler around a use case: adds the invocation context to the logs, runs the use case and
 * rethrows its error unchanged (its `name` is the ASL error the state machine matches).
 *
 * @example export const createHandler = (deps: Deps) => createStepHandler(deps.logger, (event) => reserveStock(event, deps), { logFailuresAs: 'ReserveStock' });
 */
export function createStepHandler<Output>(
  logger: HandlerLogger,
  run: (event: unknown) => Promise<Output>,
  options: StepHandlerOptions = {},
): StepHandler<Output> {
  const step = options.logFailuresAs;
  return async (event, context) => {
    if (context !== undefined) logger.addContext?.(context);
    if (step === undefined) return run(event);
    try {
      return await run(event);
    } catch (error) {
      // Names and statuses only: messages of foreign errors may quote data.
      logger.error(`${step} failed`, {
        step,
        errorName: error instanceof Error ? error.name : typeof error,
        retriable: isSagaError(error) ? error.retriable : undefined,
        error: isSagaError(error) ? error.message : describeError(error),
      });
      throw error;
    }
  };
}
