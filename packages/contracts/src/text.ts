import * as z from 'zod/mini';

/** C0 and C1 control characters (includes NUL, CR, LF, TAB, DEL). */
const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;
/** Control characters other than LF and TAB (for multi-line free text). */
const NO_CONTROL_CHARACTERS_EXCEPT_NEWLINE = /^(?:[^\p{Cc}]|[\n\t])*$/u;
/**
 * No lone surrogates (U+D800–U+DFFF not in a pair): such a string is not Unicode text, cannot be
 * encoded as UTF-8 (it becomes U+FFFD or is refused, depending on the encoder) and differs between
 * the systems it flows through. With the `u` flag a well-formed pair is one code point, never `Cs`.
 */
const WELL_FORMED_UNICODE = /^\P{Cs}*$/u;

/**
 * A single-line human text field: bounded, non-blank, no control characters.
 * @internal Shared by the contract files; not part of the public API.
 */
export function singleLineText(maxLength: number): z.ZodMiniString<string> {
  return z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(maxLength),
      z.regex(NO_CONTROL_CHARACTERS, 'no_control_characters'),
      z.regex(WELL_FORMED_UNICODE, 'well_formed_unicode'),
      z.regex(/\S/, 'not_blank'),
    );
}

/**
 * A multi-line free-text field (notes, causes): bounded, LF and TAB allowed, no other control characters.
 * @internal
 */
export function multiLineText(maxLength: number): z.ZodMiniString<string> {
  return z
    .string()
    .check(
      z.maxLength(maxLength),
      z.regex(NO_CONTROL_CHARACTERS_EXCEPT_NEWLINE, 'no_control_characters'),
      z.regex(WELL_FORMED_UNICODE, 'well_formed_unicode'),
    );
}

/**
 * An identifier: ASCII letters, digits and `_ - . :`, starting with a letter or digit.
 * @internal
 */
export function identifier(maxLength: number): z.ZodMiniString<string> {
  return z.string().check(z.regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${maxLength - 1}}$`), 'identifier'));
}

/** An ISO-8601 UTC timestamp as Step Functions writes them (`2026-11-22T10:00:00.000Z`). @internal */
export const timestamp = (): z.ZodMiniISODateTime => z.iso.datetime({ offset: true });
