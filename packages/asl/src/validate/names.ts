import type { Validator } from './context.js';

/**
 * Names: state names (1..80 characters, unique across the whole machine), variable names
 * (identifiers, `states` reserved) and distributed Map labels (<= 40 characters, restricted
 * character set, unique).
 */

export const MAX_STATE_NAME_LENGTH = 80;
export const MAX_VARIABLE_NAME_LENGTH = 80;
export const MAX_LABEL_LENGTH = 40;

/** Length in Unicode code points, as the spec counts characters. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
    n++;
  }
  return n;
}

/** Checks one state name and records it; duplicates are reported at the later occurrence. */
export function checkStateName(v: Validator, name: string, loc: string): void {
  const length = codePoints(name);
  if (length === 0 || length > MAX_STATE_NAME_LENGTH) {
    v.error('INVALID_STATE_NAME', `State name must be 1 to ${MAX_STATE_NAME_LENGTH} characters long, got ${length}`, loc);
  }
  const first = v.stateNames.get(name);
  if (first === undefined) v.stateNames.set(name, loc);
  else v.error('DUPLICATE_STATE_NAME', `State name "${name}" is already used at ${first}`, loc);
}

const IDENTIFIER = /^[\p{ID_Start}_][\p{ID_Continue}\u200c\u200d]*$/u;

/** A variable name in Assign (after removing `.$`). */
export function checkVariableName(v: Validator, name: string, loc: string): void {
  if (name === 'states') {
    v.schema("'states' is a reserved variable name", loc);
  } else if (!IDENTIFIER.test(name) || codePoints(name) > MAX_VARIABLE_NAME_LENGTH) {
    v.schema(
      `Invalid variable name '${name}': a variable name is an identifier (a letter or '_', then letters, digits or '_') of at most ${MAX_VARIABLE_NAME_LENGTH} characters`,
      loc,
    );
  }
}

// eslint-disable-next-line no-control-regex
const LABEL_FORBIDDEN = /[\s?*<>{}[\]:;,\\|^~$#%&`"\u0000-\u001f\u007f-\u009f]/u;

/** A distributed Map `Label`. */
export function checkLabel(v: Validator, label: string, loc: string): void {
  if (codePoints(label) > MAX_LABEL_LENGTH) v.schema(`Label must be at most ${MAX_LABEL_LENGTH} characters long`, loc);
  const bad = LABEL_FORBIDDEN.exec(label);
  if (bad) v.schema(`Label contains a character that is not allowed: ${JSON.stringify(bad[0])}`, loc);
  const first = v.labels.get(label);
  if (first === undefined) v.labels.set(label, loc);
  else v.schema(`Label "${label}" is already used at ${first}`, loc);
}
