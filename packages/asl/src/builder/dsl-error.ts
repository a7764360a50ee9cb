/** Codes of the errors the builder throws eagerly, before any validation runs. */
export type DslErrorCode = 'CallbackWithoutToken' | 'InvalidArgument' | 'DuplicateStateName';

/** A misuse of the builder, caught where it happens. */
export class DslError extends Error {
  override readonly name = 'DslError';
  constructor(
    readonly code: DslErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
