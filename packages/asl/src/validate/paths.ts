import { MAX_VALUE_DEPTH, objectLocation, type Validator } from './context.js';
import { isObject, keysOf, type JsonObject } from './fields.js';
import { checkVariableName } from './names.js';

/**
 * JSONPath-mode syntax: Paths, Reference Paths, intrinsic function calls and payload templates
 * (`.$` keys). The grammar is Jayway-flavoured and deliberately lenient inside filters; the point
 * is to catch what AWS rejects at create time, not to evaluate.
 */

export interface PathInfo {
  root: '$' | '$$' | 'variable';
  /** A Reference Path: only `.name`, `['name']` and `[n]` steps (no wildcards, filters, slices, unions, `..`, functions). */
  reference: boolean;
}

const IDENT_START = /[\p{ID_Start}_]/u;
const IDENT_PART = /[\p{ID_Continue}\u200c\u200d]/u;

function isNameChar(c: string): boolean {
  return c !== '.' && c !== '[' && c !== ']' && c !== '(' && c !== ')' && c !== "'" && c !== '"' && c.trim() !== '';
}

/** Parses a JSONPath (`$...`), context path (`$$...`) or variable path (`$name...`). */
export function parsePath(s: string): PathInfo | undefined {
  if (s.charCodeAt(0) !== 36 /* $ */) return undefined;
  const n = s.length;
  let i = 1;
  let root: PathInfo['root'] = '$';
  if (s[1] === '$') {
    root = '$$';
    i = 2;
  } else if (i < n && IDENT_START.test(s[1]!)) {
    root = 'variable';
    while (i < n && IDENT_PART.test(s[i]!)) i++;
  }
  let reference = true;
  while (i < n) {
    const c = s[i];
    if (c === '.') {
      if (s[i + 1] === '.') {
        reference = false;
        i += 2;
        if (s[i] === '[') continue;
      } else {
        i += 1;
        if (s[i] === '[') continue; // `$.abc.['def ghi']`
      }
      const start = i;
      while (i < n && isNameChar(s[i]!)) i++;
      if (i === start) return undefined;
      if (s.slice(start, i) === '*') reference = false;
      // A trailing function call such as `.length()`.
      if (s[i] === '(') {
        if (s[i + 1] !== ')' || i + 2 !== n) return undefined;
        reference = false;
        i += 2;
      }
    } else if (c === '[') {
      const end = parseBracket(s, i);
      if (end === undefined) return undefined;
      if (!end.reference) reference = false;
      i = end.next;
    } else {
      return undefined;
    }
  }
  return { root, reference };
}

/** Parses `[...]` at `i`; returns the index after `]`. */
function parseBracket(s: string, i: number): { next: number; reference: boolean } | undefined {
  const n = s.length;
  let j = i + 1;
  if (s[j] === '*' && s[j + 1] === ']') return { next: j + 2, reference: false };
  if (s[j] === '?' || s[j] === '(') {
    // Filter `[?(...)]` or script `[(...)]`: balanced parentheses, quotes respected.
    if (s[j] === '?') j++;
    if (s[j] !== '(') return undefined;
    const close = scanBalanced(s, j, '(', ')');
    if (close === undefined || s[close + 1] !== ']') return undefined;
    return { next: close + 2, reference: false };
  }
  if (s[j] === "'" || s[j] === '"') {
    let names = 0;
    for (;;) {
      const q = s[j];
      if (q !== "'" && q !== '"') return undefined;
      j++;
      while (j < n && s[j] !== q) j += s[j] === '\\' ? 2 : 1;
      if (j >= n) return undefined;
      j++;
      names++;
      while (s[j] === ' ') j++;
      if (s[j] === ']') return { next: j + 1, reference: names === 1 };
      if (s[j] !== ',') return undefined;
      j++;
      while (s[j] === ' ') j++;
    }
  }
  const close = s.indexOf(']', j);
  if (close < 0) return undefined;
  const body = s.slice(j, close).trim();
  if (/^-?\d+$/.test(body)) return { next: close + 1, reference: true };
  if (/^-?\d+(\s*,\s*-?\d+)+$/.test(body) || /^(-?\d+)?:(-?\d+)?(:(-?\d+)?)?$/.test(body)) {
    return { next: close + 1, reference: false };
  }
  return undefined;
}

/** Index of the `close` matching the `open` at `i`, skipping quoted strings. */
function scanBalanced(s: string, i: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === "'" || c === '"') {
      j++;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return undefined;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return j;
  }
  return undefined;
}

// ---------------------------------------------------------------- intrinsic functions

/** Intrinsic functions and their arity [min, max] (asl-semantics section 5.2). */
export const INTRINSICS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['States.Format', [1, Infinity]],
  ['States.StringToJson', [1, 1]],
  ['States.JsonToString', [1, 1]],
  ['States.Array', [0, Infinity]],
  ['States.ArrayPartition', [2, 2]],
  ['States.ArrayContains', [2, 2]],
  ['States.ArrayRange', [3, 3]],
  ['States.ArrayGetItem', [2, 2]],
  ['States.ArrayLength', [1, 1]],
  ['States.ArrayUnique', [1, 1]],
  ['States.Base64Encode', [1, 1]],
  ['States.Base64Decode', [1, 1]],
  ['States.Hash', [2, 2]],
  ['States.JsonMerge', [3, 3]],
  ['States.MathRandom', [2, 3]],
  ['States.MathAdd', [2, 2]],
  ['States.StringSplit', [2, 2]],
  ['States.UUID', [0, 0]],
]);

/** The intrinsics a Fail state's ErrorPath/CausePath may call (they return strings). */
export const FAIL_PATH_INTRINSICS: ReadonlySet<string> = new Set([
  'States.Format',
  'States.JsonToString',
  'States.ArrayGetItem',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.UUID',
]);

const MAX_INTRINSIC_DEPTH = 10;

class IntrinsicParser {
  i = 0;
  constructor(
    readonly s: string,
    readonly allowed: ReadonlySet<string> | undefined,
  ) {}

  ws(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  /** Parses `States.Name(args)`; returns an error reason or undefined. */
  call(depth: number): string | undefined {
    if (depth > MAX_INTRINSIC_DEPTH) return `intrinsic functions nest deeper than ${MAX_INTRINSIC_DEPTH}`;
    const s = this.s;
    const start = this.i;
    if (!s.startsWith('States.', start)) return 'expected an intrinsic function';
    this.i += 7;
    while (this.i < s.length && /[A-Za-z0-9]/.test(s[this.i]!)) this.i++;
    const name = s.slice(start, this.i);
    const arity = INTRINSICS.get(name);
    if (arity === undefined || (this.allowed !== undefined && !this.allowed.has(name))) {
      return `unknown intrinsic function '${name}'`;
    }
    this.ws();
    if (s[this.i] !== '(') return `expected '(' after '${name}'`;
    this.i++;
    this.ws();
    let args = 0;
    if (s[this.i] === ')') {
      this.i++;
    } else {
      for (;;) {
        const err = this.arg(depth);
        if (err !== undefined) return err;
        args++;
        this.ws();
        if (s[this.i] === ',') {
          this.i++;
          continue;
        }
        if (s[this.i] === ')') {
          this.i++;
          break;
        }
        return `unbalanced parentheses in '${name}'`;
      }
    }
    if (args < arity[0] || args > arity[1]) {
      const expected = arity[0] === arity[1] ? `${arity[0]}` : arity[1] === Infinity ? `at least ${arity[0]}` : `${arity[0]} to ${arity[1]}`;
      return `'${name}' takes ${expected} argument(s), got ${args}`;
    }
    return undefined;
  }

  arg(depth: number): string | undefined {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === "'") {
      this.i++;
      while (this.i < s.length && s[this.i] !== "'") {
        if (s[this.i] === '\\') {
          const e = s[this.i + 1];
          if (e !== "'" && e !== '{' && e !== '}' && e !== '\\') return 'invalid escape sequence in a string argument';
          this.i += 2;
        } else {
          this.i++;
        }
      }
      if (this.i >= s.length) return 'unterminated string argument';
      this.i++;
      return undefined;
    }
    if (c === '$') {
      const start = this.i;
      let depthB = 0;
      while (this.i < s.length) {
        const d = s[this.i]!;
        if (d === "'" || d === '"') {
          const end = skipQuoted(s, this.i);
          if (end === undefined) return 'unterminated string in a path argument';
          this.i = end;
          continue;
        }
        if (d === '[' || d === '(') depthB++;
        else if (d === ']' || (d === ')' && depthB > 0)) depthB--;
        else if (depthB === 0 && (d === ',' || d === ')')) break;
        this.i++;
      }
      const path = s.slice(start, this.i).trimEnd();
      return parsePath(path) === undefined ? `invalid path argument '${path}'` : undefined;
    }
    if (s.startsWith('States.', this.i)) return this.call(depth + 1);
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|null|true|false)/.exec(s.slice(this.i));
    if (m) {
      this.i += m[0].length;
      return undefined;
    }
    return `invalid argument at '${s.slice(this.i, this.i + 20)}'`;
  }
}

function skipQuoted(s: string, i: number): number | undefined {
  const q = s[i];
  let j = i + 1;
  while (j < s.length && s[j] !== q) j += s[j] === '\\' ? 2 : 1;
  return j >= s.length ? undefined : j + 1;
}

/** Checks an intrinsic function call; returns an error reason, or undefined when valid. */
export function intrinsicError(s: string, allowed?: ReadonlySet<string>): string | undefined {
  const p = new IntrinsicParser(s, allowed);
  p.ws();
  const err = p.call(1);
  if (err !== undefined) return err;
  p.ws();
  return p.i === s.length ? undefined : 'unexpected text after the intrinsic function call';
}

export function looksLikeIntrinsic(s: string): boolean {
  return s.startsWith('States.') && s.includes('(') && s.trimEnd().endsWith(')');
}

function looksLikePath(s: string): boolean {
  return s.startsWith('$.') || s.startsWith('$$.') || s.startsWith('$[');
}

// ---------------------------------------------------------------- path fields

/** A Path field (InputPath, OutputPath, Choice Variable and `...Path` operands). */
export function checkPathField(v: Validator, value: unknown, loc: string, field: string, nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'string' || parsePath(value) === undefined) {
    v.schema(`The value for the field '${field}' must be a valid JSONPath`, loc);
  }
}

/**
 * A Reference Path field (ResultPath, ItemsPath, TimeoutSecondsPath, ...). ResultPath may also not
 * reference the context object or a variable.
 */
export function checkReferencePathField(
  v: Validator,
  value: unknown,
  loc: string,
  field: string,
  opts: { nullable?: boolean; resultPath?: boolean } = {},
): void {
  if (value === null && opts.nullable) return;
  const info = typeof value === 'string' ? parsePath(value) : undefined;
  if (info === undefined || !info.reference) {
    v.schema(
      `The value for the field '${field}' must be a valid Reference Path (a single-node JSONPath without filters, wildcards, slices or '..')`,
      loc,
    );
    return;
  }
  if (opts.resultPath && info.root === '$$') v.schema(`The field '${field}' cannot reference the context object ('$$')`, loc);
  if (opts.resultPath && info.root === 'variable') v.schema(`The field '${field}' cannot reference a variable`, loc);
}

/** Fail.ErrorPath / CausePath: a Reference Path or a string-returning intrinsic. */
export function checkFailPathField(v: Validator, value: unknown, loc: string, field: string): void {
  if (typeof value === 'string') {
    if (value.startsWith('States.')) {
      const err = intrinsicError(value, FAIL_PATH_INTRINSICS);
      if (err === undefined) return;
      v.schema(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call (${err})`, loc);
      return;
    }
    const info = parsePath(value);
    if (info?.reference) return;
  }
  v.schema(`The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`, loc);
}

// ---------------------------------------------------------------- payload templates

export interface TemplateOptions {
  /** Top-level keys (after removing `.$`) are variable names (Assign). */
  assign?: boolean;
}

/**
 * A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Credentials, Assign):
 * `.$` values must be paths or intrinsic calls, and no two keys may collide once `.$` is removed.
 * Diagnostics are located at the object holding the key, as AWS does.
 */
export function checkPayloadTemplate(v: Validator, obj: JsonObject, loc: string, opts: TemplateOptions = {}, depth = 0): void {
  if (depth > MAX_VALUE_DEPTH) {
    v.error('TOO_DEEPLY_NESTED', `JSON value nesting exceeds ${MAX_VALUE_DEPTH} levels`, loc);
    return;
  }
  const keys = keysOf(obj);
  let seen: Set<string> | undefined;
  for (const key of keys) {
    const dynamic = key.endsWith('.$');
    const base = dynamic ? key.slice(0, -2) : key;
    if (dynamic && keys.length > 1) {
      seen ??= new Set(keys.filter((k) => !k.endsWith('.$')));
      if (seen.has(base)) v.schema(`Duplicate field '${base}' after removing the '.$' suffix`, objectLocation(loc));
    }
    if (opts.assign && depth === 0) checkVariableName(v, base, loc);
    const value = obj[key];
    if (dynamic) {
      const err = typeof value !== 'string' ? 'not a string' : value.startsWith('States.') ? intrinsicError(value) : parsePath(value) === undefined ? '' : undefined;
      if (err !== undefined) {
        v.schema(
          `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call${err ? ` (${err})` : ''}`,
          objectLocation(loc),
        );
      }
    } else if (isObject(value)) {
      checkPayloadTemplate(v, value, `${loc}/${key}`, {}, depth + 1);
    } else if (Array.isArray(value)) {
      checkTemplateArray(v, value, `${loc}/${key}`, depth + 1);
    } else if (typeof value === 'string' && (looksLikePath(value) || looksLikeIntrinsic(value))) {
      v.warn(
        'NO_DOLLAR',
        `The value for the field '${key}' looks like ${looksLikePath(value) ? 'a JSONPath' : 'an intrinsic function call'}, but the field name does not end with '.$', so it is passed as a literal string`,
        objectLocation(loc),
      );
    }
  }
}

/** Objects inside arrays are templates too (e.g. `events:putEvents` `Entries[].Detail`). */
function checkTemplateArray(v: Validator, items: unknown[], loc: string, depth: number): void {
  if (depth > MAX_VALUE_DEPTH) {
    v.error('TOO_DEEPLY_NESTED', `JSON value nesting exceeds ${MAX_VALUE_DEPTH} levels`, loc);
    return;
  }
  items.forEach((item, i) => {
    if (isObject(item)) checkPayloadTemplate(v, item, `${loc}[${i}]`, {}, depth + 1);
    else if (Array.isArray(item)) checkTemplateArray(v, item, `${loc}[${i}]`, depth + 1);
  });
}

/** True when a static value holds `.$` keys or path-looking strings (Pass `Result`). */
export function containsDynamicLookingValue(value: unknown, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) return false;
  if (typeof value === 'string') return looksLikePath(value) || looksLikeIntrinsic(value);
  if (Array.isArray(value)) return value.some((x) => containsDynamicLookingValue(x, depth + 1));
  if (isObject(value)) {
    for (const key of keysOf(value)) {
      if (key.endsWith('.$') || containsDynamicLookingValue(value[key], depth + 1)) return true;
    }
  }
  return false;
}

/** True when any `.$` value in a template mentions `needle` (e.g. `$$.Task.Token`). */
export function templateMentions(value: unknown, needle: string, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) return false;
  if (Array.isArray(value)) return value.some((x) => templateMentions(x, needle, depth + 1));
  if (!isObject(value)) return false;
  for (const key of keysOf(value)) {
    const x = value[key];
    if (key.endsWith('.$') && typeof x === 'string' && x.includes(needle)) return true;
    if (templateMentions(x, needle, depth + 1)) return true;
  }
  return false;
}
