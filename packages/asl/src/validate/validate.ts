import { MAX_DEFINITION_LENGTH, Validator, type ValidateOptions } from './context.js';
import { AslValidationError, type ValidationResult } from './diagnostic.js';
import { isObject } from './fields.js';
import { checkScope, machineFields } from './structure.js';

/**
 * Validates an ASL definition (an object, or the JSON text CreateStateMachine takes) with the rules
 * AWS enforces at CreateStateMachine / ValidateStateMachineDefinition, plus a few stricter checks
 * (see the README of this folder). Reports every diagnostic, in document order; never throws and
 * never mutates its input.
 */
export function validate(definition: unknown, options?: ValidateOptions): ValidationResult {
  const v = new Validator(options);
  try {
    run(v, definition);
  } catch (e) {
    // Defensive: every rule is written not to throw; a stack overflow on absurd nesting is the one
    // expected case.
    if (e instanceof RangeError) v.error('TOO_DEEPLY_NESTED', 'Definition is too deeply nested to validate', '');
    else v.schema(`Validator internal error: ${e instanceof Error ? e.message : String(e)}`, '');
  }
  return { result: v.diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK', diagnostics: v.diagnostics };
}

/** Throws an {@link AslValidationError} listing every error when the definition is invalid. */
export function assertValid(definition: unknown, options?: ValidateOptions): void {
  const { result, diagnostics } = validate(definition, options);
  if (result === 'FAIL') throw new AslValidationError(diagnostics);
}

const NOT_AN_OBJECT = 'Definition must be a valid JSON object';

function run(v: Validator, definition: unknown): void {
  let obj: unknown = definition;
  let length: number;
  if (typeof definition === 'string') {
    length = definition.length;
    if (definition.trim() === '') return v.schema(NOT_AN_OBJECT, '');
    try {
      obj = JSON.parse(definition);
    } catch (e) {
      return v.error('INVALID_JSON_DESCRIPTION', e instanceof Error ? e.message : String(e), '');
    }
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(definition);
    } catch (e) {
      if (e instanceof RangeError) return v.error('TOO_DEEPLY_NESTED', 'Definition is too deeply nested to validate', '');
      return v.schema(`Definition is not serializable as JSON: ${e instanceof Error ? e.message : String(e)}`, '');
    }
    length = text?.length ?? 0;
  }
  if (!isObject(obj)) return v.schema(NOT_AN_OBJECT, '');
  if (length > MAX_DEFINITION_LENGTH) {
    v.schema(`Definition exceeds the 1 MB quota: ${length} characters, the maximum is ${MAX_DEFINITION_LENGTH}`, '');
  }
  v.machineLanguage = obj.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  checkScope(v, obj, '', { depth: 0, express: v.type === 'EXPRESS', fields: machineFields });
}
