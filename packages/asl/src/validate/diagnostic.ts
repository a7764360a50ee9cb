/**
 * Diagnostics in the shape of `ValidateStateMachineDefinition`
 * (`{severity, code, message, location}`), with the codes AWS uses.
 */

export type DiagnosticSeverity = 'ERROR' | 'WARNING';

/**
 * Diagnostic codes. All but `CALLBACK_WITHOUT_TOKEN` are AWS codes
 * (`ValidateStateMachineDefinitionDiagnostic.code`).
 */
export type DiagnosticCode =
  /** The definition text is not JSON. */
  | 'INVALID_JSON_DESCRIPTION'
  /** Structure, field, type, range and query-language violations. */
  | 'SCHEMA_VALIDATION_FAILED'
  /** A `StartAt`/`Next`/`Default`/`Catch[].Next` target is missing, or a state is unreachable. */
  | 'MISSING_TRANSITION_TARGET'
  /** A scope has no terminal state, or a state cannot reach one. */
  | 'MISSING_END_STATE'
  /** A state name is used twice in the machine (branches included). */
  | 'DUPLICATE_STATE_NAME'
  /** A state name is empty or longer than 80 characters. */
  | 'INVALID_STATE_NAME'
  /** Parallel/Map nesting or JSON value nesting beyond the limits. */
  | 'TOO_DEEPLY_NESTED'
  /** A Task `Resource` that is not a recognised ARN. */
  | 'INVALID_RESOURCE'
  /** A `{% %}` string that does not parse as JSONata. */
  | 'INVALID_JSONATA_EXPRESSION'
  /** A JSONata expression that parses but uses something Step Functions forbids. */
  | 'UNSUPPORTED_JSONATA_EXPRESSION'
  /** Warning: a payload value looks like a path or intrinsic, but its key lacks `.$`. */
  | 'NO_DOLLAR'
  /** Warning: a Pass state's `Result` holds `.$` keys or paths, which are not evaluated. */
  | 'PASS_RESULT_IS_STATIC'
  /** Warning (not an AWS code): a `.waitForTaskToken` task never passes the task token. */
  | 'CALLBACK_WITHOUT_TOKEN';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  code: DiagnosticCode;
  message: string;
  /**
   * AWS-style pointer to the offending node: `/StartAt`, `/States/A/Next`,
   * `/States/T/Retry[0]/MaxAttempts`; `/` is the root object, `''` means the definition as a whole.
   */
  location: string;
}

/** The result of {@link validate}, shaped like `ValidateStateMachineDefinitionOutput`. */
export interface ValidationResult {
  result: 'OK' | 'FAIL';
  diagnostics: Diagnostic[];
}

/** `CODE: message at /location` (AWS's wording; the `at` part is omitted when there is no location). */
export function formatDiagnostic(d: Diagnostic): string {
  return d.location === '' ? `${d.code}: ${d.message}` : `${d.code}: ${d.message} at ${d.location}`;
}

/** Thrown by {@link assertValid}; the message mirrors CreateStateMachine's `InvalidDefinition`. */
export class AslValidationError extends Error {
  override readonly name = 'AslValidationError';
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'ERROR');
    super(`Invalid State Machine Definition: '${errors.map(formatDiagnostic).join(', ')}'`);
    this.diagnostics = diagnostics;
  }
}
