import type { JsonValue } from '@saga/asl';

/**
 * JSONPath syntax as Step Functions accepts it (Jayway flavour): `$` (input), `$$` (context
 * object), `$name` (a workflow variable) and `@` (the current node inside a filter), followed by
 * `.name`, `['name']`, `[n]` (negative from the end), `[*]`, `.*`, `['a','b']`, `[0,1]`,
 * `[start:end:step]`, `..name` (deep scan), `[?(filter)]` and a trailing function (`.length()`).
 *
 * Parsed paths are cached by their text: the same few paths are evaluated for every execution.
 */

export type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  /** `['a','b']`. As the last segment Jayway merges the properties into one object (`merge`). */
  | { kind: 'names'; names: string[]; merge: boolean }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'filter'; filter: FilterExpr }
  | { kind: 'scan'; target: Segment };

/** Jayway's path functions that take no argument (`$.items.length()`). */
export type PathFunction = 'length' | 'size' | 'min' | 'max' | 'avg' | 'sum' | 'stddev' | 'keys' | 'first' | 'last';
const PATH_FUNCTIONS: ReadonlySet<string> = new Set<PathFunction>(['length', 'size', 'min', 'max', 'avg', 'sum', 'stddev', 'keys', 'first', 'last']);

export interface ParsedPath {
  source: string;
  root: '$' | '$$' | '@' | 'variable';
  /** The variable name when `root` is `variable`. */
  variable: string | undefined;
  segments: readonly Segment[];
  fn: PathFunction | undefined;
  /** The path yields one value (no wildcard, slice, filter, union of indexes or deep scan). */
  definite: boolean;
  /** Only `.name`, `['name']` and `[n]` steps (a Reference Path). */
  reference: boolean;
}

// ---------------------------------------------------------------- filters

export type FilterOperator =
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | 'in'
  | 'nin'
  | 'subsetof'
  | 'anyof'
  | 'noneof'
  | 'size'
  | 'empty'
  | 'contains';

export type FilterOperand =
  | { kind: 'path'; path: ParsedPath }
  | { kind: 'value'; value: JsonValue }
  | { kind: 'regex'; regex: RegExp };

export type FilterExpr =
  | { kind: 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'exists'; path: ParsedPath }
  | { kind: 'constant'; value: boolean }
  | { kind: 'compare'; op: FilterOperator; left: FilterOperand; right: FilterOperand };

export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';
}

// ---------------------------------------------------------------- entry point

const MAX_CACHE = 10_000;
const cache = new Map<string, ParsedPath | PathSyntaxError>();

/** Parses a path; throws PathSyntaxError. Results (and failures) are cached by text. */
export function parsePath(source: string): ParsedPath {
  let parsed = cache.get(source);
  if (parsed === undefined) {
    try {
      parsed = new PathParser(source).parse();
    } catch (e) {
      if (!(e instanceof PathSyntaxError)) throw e;
      parsed = e;
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(source, parsed);
  }
  if (parsed instanceof PathSyntaxError) throw parsed;
  return parsed;
}

// ---------------------------------------------------------------- path grammar

const IDENT_START = /[\p{ID_Start}_]/u;
const IDENT_PART = /[\p{ID_Continue}\u200c\u200d]/u;

/** Characters that end a dot-notation member name. */
function endsName(c: string): boolean {
  return c === '.' || c === '[' || c === ']' || c === '(' || c === ')' || c === "'" || c === '"' || c.trim() === '';
}

class PathParser {
  private i = 0;

  constructor(private readonly s: string) {}

  private fail(reason: string): never {
    throw new PathSyntaxError(reason);
  }

  parse(): ParsedPath {
    const s = this.s;
    let root: ParsedPath['root'];
    let variable: string | undefined;
    if (s[0] === '@') {
      root = '@';
      this.i = 1;
    } else if (s[0] !== '$') {
      this.fail("a path must start with '$'");
    } else if (s[1] === '$') {
      root = '$$';
      this.i = 2;
    } else if (s.length > 1 && IDENT_START.test(s[1]!)) {
      root = 'variable';
      let j = 2;
      while (j < s.length && IDENT_PART.test(s[j]!)) j++;
      variable = s.slice(1, j);
      this.i = j;
    } else {
      root = '$';
      this.i = 1;
    }

    const segments: Segment[] = [];
    let fn: PathFunction | undefined;
    while (this.i < s.length) {
      if (fn !== undefined) this.fail(`a function call must end the path`);
      const c = s[this.i];
      if (c === '.') {
        if (s[this.i + 1] === '.') {
          this.i += 2;
          segments.push({ kind: 'scan', target: this.afterDot(true) });
          continue;
        }
        this.i++;
        if (s[this.i] === '[') continue; // `$.a.['b c']`
        const name = this.peekName();
        if (s[this.i + name.length] === '(') {
          this.i += name.length;
          fn = this.functionCall(name);
          continue;
        }
        segments.push(this.afterDot(false));
      } else if (c === '[') {
        segments.push(this.bracket());
      } else {
        this.fail(`unexpected character '${c}' at position ${this.i}`);
      }
    }

    const last = segments[segments.length - 1];
    if (last?.kind === 'names' && fn === undefined) last.merge = true;
    let definite = true;
    let reference = fn === undefined;
    for (const seg of segments) {
      if (seg.kind === 'name' || seg.kind === 'index') continue;
      reference = false;
      if (!(seg.kind === 'names' && seg.merge)) definite = false;
    }
    if (fn !== undefined) definite = true;
    return { source: s, root, variable, segments, fn, definite, reference };
  }

  private peekName(): string {
    const s = this.s;
    let j = this.i;
    while (j < s.length && !endsName(s[j]!)) j++;
    return s.slice(this.i, j);
  }

  /** The step after `.` or `..`: `*`, a member name, or (after `..`) a bracket. */
  private afterDot(scan: boolean): Segment {
    const s = this.s;
    if (scan && s[this.i] === '[') return this.bracket();
    const name = this.peekName();
    if (name === '') this.fail(`a member name is missing at position ${this.i}`);
    this.i += name.length;
    if (name === '*') return { kind: 'wildcard' };
    return { kind: 'name', name };
  }

  private functionCall(name: string): PathFunction {
    if (this.s[this.i] !== '(' || this.s[this.i + 1] !== ')') this.fail(`path functions take no argument ('${name}')`);
    if (!PATH_FUNCTIONS.has(name)) this.fail(`unknown path function '${name}()'`);
    this.i += 2;
    return name as PathFunction;
  }

  private ws(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  /** `[...]` at the current position. */
  private bracket(): Segment {
    const s = this.s;
    this.i++; // [
    this.ws();
    const c = s[this.i];
    if (c === '*') {
      this.i++;
      this.ws();
      this.expect(']');
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.i++;
      this.ws();
      if (s[this.i] !== '(') this.fail(`a filter must be written '[?(...)]'`);
      const close = findClosing(s, this.i, '(', ')');
      if (close < 0) this.fail('unbalanced parentheses in a filter');
      const filter = parseFilter(s.slice(this.i + 1, close));
      this.i = close + 1;
      this.ws();
      this.expect(']');
      return { kind: 'filter', filter };
    }
    if (c === "'" || c === '"') {
      const names: string[] = [];
      for (;;) {
        const q = s[this.i];
        if (q !== "'" && q !== '"') this.fail(`expected a quoted name at position ${this.i}`);
        const [value, next] = readQuoted(s, this.i);
        names.push(value);
        this.i = next;
        this.ws();
        if (s[this.i] === ']') {
          this.i++;
          return names.length === 1 ? { kind: 'name', name: names[0]! } : { kind: 'names', names, merge: false };
        }
        this.expect(',');
        this.ws();
      }
    }
    const close = s.indexOf(']', this.i);
    if (close < 0) this.fail("missing ']'");
    const body = s.slice(this.i, close).trim();
    this.i = close + 1;
    if (/^-?\d+$/.test(body)) return { kind: 'index', index: Number(body) };
    if (/^-?\d+(\s*,\s*-?\d+)+$/.test(body)) {
      return { kind: 'indexes', indexes: body.split(',').map((x) => Number(x.trim())) };
    }
    const m = /^(-?\d+)?\s*:\s*(-?\d+)?\s*(?::\s*(-?\d+)?)?$/.exec(body);
    if (m) {
      const step = m[3] === undefined ? 1 : Number(m[3]);
      if (step === 0) this.fail('a slice step cannot be 0');
      return {
        kind: 'slice',
        start: m[1] === undefined ? undefined : Number(m[1]),
        end: m[2] === undefined ? undefined : Number(m[2]),
        step,
      };
    }
    return this.fail(`invalid bracket expression '[${body}]'`);
  }

  private expect(c: string): void {
    if (this.s[this.i] !== c) this.fail(`expected '${c}' at position ${this.i}`);
    this.i++;
  }
}

/** Reads a quoted string at `i` (`'...'` or `"..."`, backslash escapes); returns [value, index after]. */
function readQuoted(s: string, i: number): [string, number] {
  const q = s[i];
  let out = '';
  let j = i + 1;
  while (j < s.length && s[j] !== q) {
    if (s[j] === '\\' && j + 1 < s.length) {
      out += s[j + 1];
      j += 2;
    } else {
      out += s[j];
      j++;
    }
  }
  if (j >= s.length) throw new PathSyntaxError('unterminated quoted string');
  return [out, j + 1];
}

/** Index of the `close` matching the `open` at `i`, skipping quoted strings; -1 when unbalanced. */
function findClosing(s: string, i: number, open: string, close: string): number {
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === "'" || c === '"') {
      j++;
      while (j < s.length && s[j] !== c) j += s[j] === '\\' ? 2 : 1;
      if (j >= s.length) return -1;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return j;
  }
  return -1;
}

// ---------------------------------------------------------------- filter grammar

const WORD_OPERATORS: ReadonlySet<string> = new Set(['in', 'nin', 'subsetof', 'anyof', 'noneof', 'size', 'empty', 'contains']);

/** Parses the inside of `[?( ... )]`. */
export function parseFilter(source: string): FilterExpr {
  const p = new FilterParser(source);
  const expr = p.or();
  p.ws();
  if (!p.done()) throw new PathSyntaxError(`unexpected '${source.slice(p.i)}' in filter '${source}'`);
  return expr;
}

class FilterParser {
  i = 0;

  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private fail(reason: string): never {
    throw new PathSyntaxError(`${reason} in filter '${this.s}'`);
  }

  private eat(token: string): boolean {
    this.ws();
    if (this.s.startsWith(token, this.i)) {
      this.i += token.length;
      return true;
    }
    return false;
  }

  or(): FilterExpr {
    let left = this.and();
    while (this.eat('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  and(): FilterExpr {
    let left = this.unary();
    while (this.eat('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  unary(): FilterExpr {
    this.ws();
    if (this.s[this.i] === '!' && this.s[this.i + 1] !== '=') {
      this.i++;
      return { kind: 'not', expr: this.unary() };
    }
    if (this.s[this.i] === '(') {
      this.i++;
      const inner = this.or();
      if (!this.eat(')')) this.fail("missing ')'");
      return inner;
    }
    return this.comparison();
  }

  private comparison(): FilterExpr {
    const left = this.operand();
    const op = this.operator();
    if (op === undefined) {
      if (left.kind === 'path') return { kind: 'exists', path: left.path };
      if (left.kind === 'value' && typeof left.value === 'boolean') return { kind: 'constant', value: left.value };
      return this.fail('expected a comparison operator');
    }
    const right = this.operand();
    if (op === '=~' && right.kind !== 'regex') this.fail("'=~' needs a regular expression (/.../)");
    return { kind: 'compare', op, left, right };
  }

  private operator(): FilterOperator | undefined {
    this.ws();
    const s = this.s;
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>'] as const) {
      if (s.startsWith(op, this.i)) {
        this.i += op.length;
        return op;
      }
    }
    const m = /^[a-z]+/.exec(s.slice(this.i));
    if (m && WORD_OPERATORS.has(m[0])) {
      this.i += m[0].length;
      return m[0] as FilterOperator;
    }
    return undefined;
  }

  private operand(): FilterOperand {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === '@' || c === '$') return { kind: 'path', path: parsePath(this.pathText()) };
    if (c === '/') return { kind: 'regex', regex: this.regex() };
    return { kind: 'value', value: this.literal() };
  }

  /** The extent of a path inside a filter: it ends at whitespace or an operator. */
  private pathText(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    if (s[start] === '$' && s[this.i] === '$') this.i++;
    else if (s[start] === '$') while (this.i < s.length && IDENT_PART.test(s[this.i]!)) this.i++;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === '.') {
        this.i++;
        if (s[this.i] === '.') this.i++;
        while (this.i < s.length && !/[\s.[\]()=!<>&|,~]/.test(s[this.i]!)) this.i++;
        if (s[this.i] === '(' && s[this.i + 1] === ')') this.i += 2;
      } else if (c === '[') {
        const close = findClosing(s, this.i, '[', ']');
        if (close < 0) this.fail("missing ']'");
        this.i = close + 1;
      } else {
        break;
      }
    }
    return s.slice(start, this.i);
  }

  private regex(): RegExp {
    const s = this.s;
    let j = this.i + 1;
    while (j < s.length && s[j] !== '/') j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) this.fail('unterminated regular expression');
    const body = s.slice(this.i + 1, j);
    const flags = /^[a-z]*/.exec(s.slice(j + 1))![0];
    this.i = j + 1 + flags.length;
    try {
      // Jayway matches the whole string (Matcher.matches()).
      return new RegExp(`^(?:${body})$`, flags.replace(/[^imsu]/g, ''));
    } catch {
      return this.fail(`invalid regular expression /${body}/`);
    }
  }

  private literal(): JsonValue {
    this.ws();
    const s = this.s;
    const c = s[this.i];
    if (c === "'" || c === '"') {
      const [value, next] = readQuoted(s, this.i);
      this.i = next;
      return value;
    }
    if (c === '[') {
      this.i++;
      const items: JsonValue[] = [];
      this.ws();
      if (s[this.i] === ']') {
        this.i++;
        return items;
      }
      for (;;) {
        items.push(this.literal());
        if (this.eat(']')) return items;
        if (!this.eat(',')) this.fail("expected ',' or ']' in an array");
      }
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(this.i));
    if (num) {
      this.i += num[0].length;
      return Number(num[0]);
    }
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (s.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    return this.fail(`unexpected '${s.slice(this.i, this.i + 10)}'`);
  }
}

// ---------------------------------------------------------------- formatting

/** Jayway's normalized form of the first `count` segments (`$['a'][0]`), as its messages print it. */
export function formatPath(path: ParsedPath, count = path.segments.length): string {
  let out = path.root === 'variable' ? `$${path.variable}` : path.root;
  for (let k = 0; k < count; k++) out += formatSegment(path.segments[k]!);
  return out;
}

function formatSegment(seg: Segment): string {
  switch (seg.kind) {
    case 'name':
      return `['${seg.name}']`;
    case 'index':
      return `[${seg.index}]`;
    case 'names':
      return `[${seg.names.map((n) => `'${n}'`).join(',')}]`;
    case 'indexes':
      return `[${seg.indexes.join(',')}]`;
    case 'wildcard':
      return '[*]';
    case 'slice':
      return `[${seg.start ?? ''}:${seg.end ?? ''}${seg.step === 1 ? '' : `:${seg.step}`}]`;
    case 'filter':
      return '[?]';
    case 'scan':
      return `..${formatSegment(seg.target)}`;
  }
}
