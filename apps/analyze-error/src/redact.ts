/**
 * PII redaction for text that leaves the account (the Bedrock prompt) or reaches a reviewer's notes.
 *
 * What it replaces, with typed placeholders:
 * - `[SECRET]`: Stripe keys (`sk_live_…`), bearer tokens, AWS access key ids, `password=`/`api_key=` values;
 * - `[EMAIL]`: e-mail addresses (also `%40`-encoded);
 * - `[NAME]`, `[ADDRESS]`, `[POSTCODE]`, `[EMAIL]`, `[PHONE]`: the customer's known values, case-insensitively,
 *   whole and in parts (first or last name alone, each piece of "Hans-Peter" or "O'Brien", the street line
 *   without its number, the postal code with or without its space, the phone in national formats);
 * - `[IBAN]`: IBANs passing the mod-97 check;
 * - `[CARD]`: runs of 13–19 digits, optionally grouped by single spaces or dashes, that pass the Luhn check;
 * - `[IP]`: IPv4 addresses;
 * - `[CVC]`: the digits after `cvc`/`cvv`/`csc`;
 * - `[NUMBER]`: JSON integers beyond 2^53 (already rounded by the parser, so unreadable, and possibly a card);
 * - `[PHONE]`: E.164 and international (`+44 7700 900123`, `0044…`), national with a trunk 0
 *   (`07700 900123`, `(020) 7946 0958`, `06 12 34 56 78`) and North-American (`(415) 555-2671`, `415.555.2671`).
 *
 * What it keeps: ARNs, UUIDs, ISO dates and timestamps, Stripe-style object ids (`pi_…`, `req_…`) and any
 * string the caller asks to keep (the order id), so the analysis still has its facts.
 *
 * JSON text is parsed and redacted value by value (keys too, and JSON nested in strings), so escapes such
 * as `\u0040` cannot hide an address. Names that appear only in third-party free text and are not known
 * values are not caught: that is why the analyser sends allow-listed facts only.
 */

/** The placeholder kinds. */
export type PiiKind = 'CARD' | 'EMAIL' | 'PHONE' | 'NAME' | 'ADDRESS' | 'POSTCODE' | 'IBAN' | 'SECRET' | 'IP' | 'CVC' | 'NUMBER';

/** `[CARD]`, `[EMAIL]`... */
export function placeholder(kind: PiiKind): string {
  return `[${kind}]`;
}

/** Personal values known for the order at hand, redacted wherever they appear. */
export interface KnownPii {
  /** Full names; each part (2+ letters, particles like `de`/`van` excepted) is matched alone too. */
  readonly names?: readonly string[];
  readonly emails?: readonly string[];
  /** Phone numbers, preferably E.164; matched in national formats too. */
  readonly phones?: readonly string[];
  /** Street lines and cities; a street line is matched without its house number too. */
  readonly addressLines?: readonly string[];
  /** Postal codes, matched with or without inner spaces or dashes. */
  readonly postalCodes?: readonly string[];
}

/** The personal data of a customer record (the contracts' `Customer`) as {@link KnownPii}. */
export function knownPiiOfCustomer(customer: {
  name: string;
  email: string;
  phone?: string | undefined;
  shippingAddress: { line1: string; line2?: string | undefined; city: string; postalCode: string };
}): KnownPii {
  const a = customer.shippingAddress;
  return {
    names: [customer.name],
    emails: [customer.email],
    phones: customer.phone === undefined ? [] : [customer.phone],
    addressLines: [a.line1, ...(a.line2 === undefined ? [] : [a.line2]), a.city],
    postalCodes: [a.postalCode],
  };
}

export interface RedactorOptions {
  readonly known?: KnownPii;
  /** Exact strings never redacted (e.g. the order id and execution ARN the analysis must keep). */
  readonly keep?: readonly string[];
}

/** A configured redactor. */
export interface Redactor {
  /** Redacts a string; JSON text is redacted value by value. */
  text(value: string): string;
  /** Redacts every string (keys included) and every long integer of a JSON-like value; returns a copy. */
  value<T>(value: T): T;
}

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i -= 1) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of an IBAN (spaces allowed). */
export function ibanValid(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const n = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of n) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

// ---- patterns ------------------------------------------------------------------------------------

/** Private-use characters mark protected spans; no pattern below matches them. */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

const PROTECTED: readonly RegExp[] = [
  // ARNs (no `@`, so an e-mail glued to one is still seen).
  /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[A-Za-z0-9/_.:+=,-]+/g,
  // UUIDs.
  /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
  // ISO dates and timestamps.
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
  // Stripe-style object ids (not keys: `sk_`/`rk_` are secrets).
  /\b(?:pi|ch|re|pm|cus|req|evt|seti|src|txn|py|in|sub|acct|prod|price|po|tok|card|ba|cs|pyr|ii|il)_[A-Za-z0-9]{6,}\b/g,
];

const SECRETS: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  [/\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{6,}/g, () => '[SECRET]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, (_m, scheme) => `${scheme ?? ''} [SECRET]`],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, () => '[SECRET]'],
  [
    /\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)(["']?\s*[=:]\s*["']?)([^\s"',;&]{3,})/gi,
    (_m, name, sep) => `${name ?? ''}${sep ?? ''}[SECRET]`,
  ],
];

const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
/** Runs of digits joined by single spaces or dashes. */
const DIGIT_RUN = /(?<!\d)\d(?:[ -]?\d)*(?!\d)/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.]*\d)/g;
const CVC = /\b(cvc2?|cvv2?|csc|cid|security code)(\W{0,3})\d{3,4}\b/gi;

/** Phone candidates with their digit-count bounds. */
const PHONES: ReadonlyArray<{ pattern: RegExp; min: number; max: number }> = [
  // International: +CC ..., with spaces, dots, dashes, a parenthesised area code.
  { pattern: /(?<![\w+])\+\d[\d ().-]{5,22}\d(?!\d)/g, min: 8, max: 15 },
  // International with the 00 prefix.
  { pattern: /(?<![\w.])00[1-9][\d ().-]{6,20}\d(?!\d)/g, min: 10, max: 15 },
  // North-American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-800-555-0199.
  { pattern: /(?<![\w.+-])(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])/g, min: 10, max: 11 },
  // National with a trunk 0: 07700 900123, (020) 7946 0958, 06 12 34 56 78, 030 12345678, 07700900123.
  { pattern: /(?<![\w.+-])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ .-]?\d{2,8}){1,4}(?![\w-])/g, min: 9, max: 12 },
];

/** Name particles that identify nobody alone. */
const PARTICLES = new Set(['de', 'da', 'di', 'du', 'del', 'der', 'den', 'des', 'la', 'le', 'van', 'von', 'st', 'mr', 'mrs', 'ms', 'dr', 'el', 'al', 'bin', 'ben', 'y']);

const LETTER_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_BOUNDARY_AFTER = '(?![\\p{L}\\p{N}])';

/** Escapes the syntax characters (valid in `u` mode too, where `\-` would not be). */
function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Words separated by any run of spaces, punctuation or `+`/`%20` (URL encodings). */
function wordsPattern(words: readonly string[]): string {
  return words.map(escapeRegExp).join('(?:[\\s,.+_-]|%20)+');
}

interface KnownPattern {
  readonly pattern: RegExp;
  readonly replacement: string;
  /** Longer sources first, so a full name is replaced before its parts. */
  readonly weight: number;
}

function knownPatterns(known: KnownPii | undefined): KnownPattern[] {
  if (!known) return [];
  const out: KnownPattern[] = [];
  const add = (source: string, replacement: string, weight: number, boundaries = true): void => {
    const full = boundaries ? `${LETTER_BOUNDARY_BEFORE}${source}${LETTER_BOUNDARY_AFTER}` : source;
    out.push({ pattern: new RegExp(full, 'giu'), replacement, weight });
  };
  const words = (value: string): string[] => value.split(/[\s,]+/u).filter((w) => w.length > 0);

  for (const name of known.names ?? []) {
    const parts = words(name);
    if (parts.length === 0) continue;
    add(wordsPattern(parts), '[NAME]', name.length + 1_000);
    // Each word, and each piece of a hyphenated or apostrophed word ("Hans-Peter", "O'Brien").
    const pieces = new Set<string>();
    for (const part of parts) {
      pieces.add(part);
      for (const piece of part.split(/[-'’‐]/u)) pieces.add(piece);
    }
    for (const piece of pieces) {
      const bare = piece.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      if (bare.length >= 2 && !PARTICLES.has(bare.toLowerCase())) add(escapeRegExp(bare), '[NAME]', bare.length);
    }
  }
  for (const line of known.addressLines ?? []) {
    const parts = words(line);
    if (parts.length === 0) continue;
    add(wordsPattern(parts), '[ADDRESS]', line.length + 1_000);
    // "12 Analytical Row" → also "Analytical Row"; "Flat 3" stays whole.
    const withoutNumber = parts.slice(/^\d+[A-Za-z]?$/.test(parts[0] ?? '') ? 1 : 0);
    if (withoutNumber.length > 0 && withoutNumber.length < parts.length && withoutNumber.join(' ').length >= 4) {
      add(wordsPattern(withoutNumber), '[ADDRESS]', withoutNumber.join(' ').length + 500);
    }
  }
  for (const code of known.postalCodes ?? []) {
    const chars = [...code.replace(/[\s-]+/g, '')];
    if (chars.length < 3) continue;
    add(chars.map(escapeRegExp).join('[\\s-]?'), '[POSTCODE]', code.length + 1_000);
  }
  for (const email of known.emails ?? []) {
    if (email.length >= 3) add(escapeRegExp(email).replace('@', '(?:@|%40)'), '[EMAIL]', email.length + 2_000, false);
  }
  for (const phone of known.phones ?? []) {
    const digits = phone.replace(/\D/g, '');
    if (digits.length < 7) continue;
    const sep = '[\\s().-]*';
    const spaced = (d: string): string => [...d].join(sep);
    const variants = new Set<string>([`\\+?${spaced(digits)}`, `00${sep}${spaced(digits)}`]);
    // National forms: the subscriber number after a 1–3 digit country code, with or without a trunk 0.
    for (let cc = 1; cc <= 3; cc += 1) {
      const national = digits.slice(cc);
      if (national.length >= 7) {
        variants.add(`0${sep}${spaced(national)}`);
        if (national.length >= 9) variants.add(spaced(national));
      }
    }
    for (const variant of variants) out.push({ pattern: new RegExp(`(?<!\\d)${variant}(?!\\d)`, 'g'), replacement: '[PHONE]', weight: variant.length + 2_000 });
  }
  return out.sort((a, b) => b.weight - a.weight);
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** Replaces, in one run of digits, the longest group-aligned span that is a card number. */
function redactCardsInRun(run: string): string {
  const digits = run.replace(/\D/g, '');
  if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return '[CARD]';
  if (digits.length < 13) return run;
  // A card next to other numbers ("4111 1111 1111 1111 2026"): try contiguous groups.
  const groups = run.split(/(?<=\d)(?=[ -])|(?<=[ -])(?=\d)/);
  const tokens = groups.filter((g) => /\d/.test(g));
  const separators = groups.filter((g) => !/\d/.test(g));
  let best: { from: number; to: number; length: number } | undefined;
  for (let from = 0; from < tokens.length; from += 1) {
    let joined = '';
    for (let to = from; to < tokens.length; to += 1) {
      joined += tokens[to] ?? '';
      if (joined.length > 19) break;
      if (joined.length >= 13 && luhnValid(joined) && (best === undefined || joined.length > best.length)) best = { from, to, length: joined.length };
    }
  }
  if (best === undefined) return run;
  const rebuilt: string[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    if (i === best.from) rebuilt.push('[CARD]');
    else if (i < best.from || i > best.to) rebuilt.push(tokens[i] ?? '');
    if (i < separators.length && !(i >= best.from && i < best.to)) rebuilt.push(separators[i] ?? '');
  }
  return rebuilt.join('');
}

/** Creates a redactor for one analysis. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const known = knownPatterns(options.known);
  const keep = [...new Set(options.keep ?? [])].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);

  const plain = (input: string): string => {
    let text = input.replace(PRIVATE_USE, '?');
    for (const [pattern, replacement] of SECRETS) text = text.replace(pattern, replacement);

    const vault: string[] = [];
    const protect = (match: string): string => {
      vault.push(match);
      return `${MARK_OPEN}${String.fromCharCode(0xe100 + vault.length - 1)}${MARK_CLOSE}`;
    };
    for (const value of keep) text = text.split(value).join(protect(value));
    for (const pattern of PROTECTED) text = text.replace(pattern, protect);

    text = text.replace(EMAIL, '[EMAIL]');
    for (const { pattern, replacement } of known) text = text.replace(pattern, replacement);
    text = text.replace(IBAN, (m) => (ibanValid(m) ? '[IBAN]' : m));
    text = text.replace(DIGIT_RUN, redactCardsInRun);
    text = text.replace(IPV4, '[IP]');
    text = text.replace(CVC, (_m, label: string, sep: string) => `${label}${sep}[CVC]`);
    for (const { pattern, min, max } of PHONES) {
      text = text.replace(pattern, (m) => {
        const count = m.replace(/\D/g, '').length;
        return count >= min && count <= max ? '[PHONE]' : m;
      });
    }
    return text.replace(new RegExp(`${MARK_OPEN}([\\uE100-\\uF8FF])${MARK_CLOSE}`, 'g'), (_m, index: string) => vault[index.charCodeAt(0) - 0xe100] ?? '');
  };

  const text = (input: string, depth = 0): string => {
    const trimmed = input.trim();
    if (depth < 4 && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      // Long integer literals become strings first, so their digits survive JSON.parse exactly. That
      // rewrite can break JSON whose strings contain such text; then parse as is (unsafe integers are
      // dropped by `value`).
      const parsed = parseJson(trimmed.replace(/([:[,]\s*)(-?\d{7,})(?=\s*[,\]}])/g, '$1"$2"')) ?? parseJson(trimmed);
      if (parsed !== undefined) return JSON.stringify(value(parsed.value, depth + 1));
    }
    return plain(input);
  };

  const value = <T>(input: T, depth = 0): T => {
    if (typeof input === 'string') return text(input, depth) as T;
    if (typeof input === 'number') {
      if (!Number.isInteger(input) || Math.abs(input) < 1_000_000) return input;
      // Digits past 2^53 were already rounded by JSON.parse: unreadable, and possibly most of a card number.
      if (!Number.isSafeInteger(input)) return '[NUMBER]' as T;
      const digits = String(input);
      const redacted = plain(digits);
      return (redacted === digits ? input : redacted) as T;
    }
    if (typeof input !== 'object' || input === null) return input;
    if (depth > 32) return '[TRUNCATED]' as T;
    if (Array.isArray(input)) return input.map((item: unknown) => value(item, depth + 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input as Record<string, unknown>)) out[plain(key)] = value(item, depth + 1);
    return out as T;
  };

  return { text: (input) => text(input), value: (input) => value(input) };
}
