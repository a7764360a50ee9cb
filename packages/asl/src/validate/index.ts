/** The validator's public surface. */
export { validate, assertValid } from './validate.js';
export {
  AslValidationError,
  formatDiagnostic,
  type Diagnostic,
  type DiagnosticCode,
  type DiagnosticSeverity,
  type ValidationResult,
} from './diagnostic.js';
export { MAX_DEFINITION_LENGTH, MAX_SCOPE_DEPTH, type StateMachineType, type ValidateOptions } from './context.js';
