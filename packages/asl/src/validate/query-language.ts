import type { QueryLanguage } from '../definition/states.js';
import type { Validator } from './context.js';

/**
 * Query-language rules: the machine's language is the default of every state (inner states of
 * Parallel/Map included); a JSONata machine may not contain JSONPath states; each field belongs
 * to one language or both (see the field tables in states.ts).
 */

export const QUERY_LANGUAGES: readonly QueryLanguage[] = ['JSONPath', 'JSONata'];

export function isQueryLanguage(value: unknown): value is QueryLanguage {
  return value === 'JSONPath' || value === 'JSONata';
}

/** AWS (verbatim for the JSONPath case): a field of the other language. */
export function languageMessage(ql: QueryLanguage, field: string): string {
  const other: QueryLanguage = ql === 'JSONPath' ? 'JSONata' : 'JSONPath';
  return `The QueryLanguage is set to '${ql}', but field '${field}' is only supported for the '${other}' QueryLanguage`;
}

/** AWS (verbatim). */
export const JSONPATH_IN_JSONATA_MACHINE =
  "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine";

/** The effective language of a state, reporting a JSONPath state in a JSONata machine at `loc`. */
export function stateLanguage(v: Validator, declared: unknown, loc: string): QueryLanguage {
  if (!isQueryLanguage(declared)) return v.machineLanguage;
  if (declared === 'JSONPath' && v.machineLanguage === 'JSONata') v.schema(JSONPATH_IN_JSONATA_MACHINE, loc);
  return declared;
}
