import { apiErrors } from './errors.js';

/**
 * State machine and execution names: 1..80 characters, none of whitespace, `< > { } [ ]`, `? *`,
 * `" # % \ ^ | ~ ` $ & , ; : /`, control characters (U+0000-U+001F, U+007F-U+009F), U+FFFE-U+FFFF
 * or lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const MAX_NAME_LENGTH = 80;

export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= MAX_NAME_LENGTH && !FORBIDDEN.test(name) && !LONE_SURROGATE.test(name);
}

/** Throws `InvalidName` ("Invalid Name: '<name>'") unless `name` is a valid resource name. */
export function checkName(name: string): void {
  if (!isValidName(name)) throw apiErrors.invalidName(name);
}
