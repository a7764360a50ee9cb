import type { JsonValue } from '@saga/asl';

/**
 * An error inside an execution, named as ASL names it (`States.Timeout`, `CarrierRateLimited`).
 * Retry and Catch match on `name`. `States.Runtime` is neither retried nor caught.
 */
export class StatesError extends Error {
  override readonly name: string;
  /** The Cause string of the Error Output (`{Error, Cause}`); may be absent, as AWS allows. */
  override readonly cause: string | undefined;

  constructor(name: string, cause?: string) {
    super(cause ? `${name}: ${cause}` : name);
    this.name = name;
    this.cause = cause;
  }

  /** The Error Output a Catch delivers. */
  toErrorOutput(): { Error: string; Cause?: string } {
    return this.cause === undefined ? { Error: this.name } : { Error: this.name, Cause: this.cause };
  }

  /** Whether Retry and Catch may handle it (AWS never lets them handle `States.Runtime`). */
  get catchable(): boolean {
    return this.name !== 'States.Runtime';
  }
}

/** `States.Runtime`: an unprocessable definition or data (bad path, bad type); never retried, never caught. */
export function runtimeError(stateName: string, detail: string): StatesError {
  return new StatesError('States.Runtime', `An error occurred while executing the state '${stateName}'. ${detail}`);
}

/** Converts anything thrown by user code or an integration into a StatesError, as Lambda does. */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const errorType = thrown.name && thrown.name !== 'Error' ? thrown.name : 'Error';
    const cause = JSON.stringify({
      errorType,
      errorMessage: thrown.message,
      trace: (thrown.stack ?? '').split('\n'),
    });
    return new StatesError(errorType, cause);
  }
  return new StatesError('Error', JSON.stringify({ errorType: 'Error', errorMessage: String(thrown), trace: [] }));
}

export type { JsonValue };
