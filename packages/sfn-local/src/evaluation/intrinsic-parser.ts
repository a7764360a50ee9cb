import type { JsonValue } from '@saga/asl';

/**
 * Tokenizer and parser for intrinsic function calls: `States.Name(arg, ...)` where an argument is
 * a string (`'...'` with the escapes `\'`, `\{`, `\}`, `\\`), a number, `null`, `true`, `false`, a
 * path (`$...`, `$$...`, `$name...`) or a nested call; calls nest at most 10 deep.
 *
 * Parsed calls are cached by text.
 */

export type IntrinsicArg =
  /** `raw` is a string literal's text between the quotes, escapes intact (States.Format needs it). */
  | { kind: 'literal'; value: JsonValue; raw?: string }
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  name: string;
  args: IntrinsicArg[];
}

export const MAX_INTRINSIC_DEPTH = 10;

export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
}

// ---------------------------------------------------------------- tokens

type Token =
  | { t: 'name'; text: string; at: number }
  | { t: '(' | ')' | ','; at: number }
  | { t: 'string'; value: string; raw: string; at: number }
  | { t: 'number'; value: number; at: number }
  | { t: 'keyword'; value: null | boolean; at: number }
  | { t: 'path'; text: string; at: number }
  | { t: 'end'; at: number };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

export function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new IntrinsicSyntaxError(`${why} at position ${i} in '${s}'`);
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: c, at: i });
      i++;
    } else if (c === "'") {
      const at = i;
      let value = '';
      i++;
      const start = i;
      for (;;) {
        if (i >= s.length) fail('unterminated string');
        const d = s[i]!;
        if (d === "'") break;
        if (d === '\\') {
          const e = s[i + 1];
          if (e !== "'" && e !== '{' && e !== '}' && e !== '\\') fail(`invalid escape sequence '\\${e ?? ''}' (only \\', \\{, \\} and \\\\ are allowed)`);
          value += e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'string', value, raw: s.slice(start, i), at });
      i++;
    } else if (c === '$') {
      const at = i;
      let depth = 0;
      while (i < s.length) {
        const d = s[i]!;
        if (d === "'" || d === '"') {
          i++;
          while (i < s.length && s[i] !== d) i += s[i] === '\\' ? 2 : 1;
          if (i >= s.length) fail('unterminated string in a path');
          i++;
          continue;
        }
        if (d === '[' || d === '(') depth++;
        else if (d === ']' || (d === ')' && depth > 0)) depth--;
        else if (depth === 0 && (d === ',' || d === ')')) break;
        i++;
      }
      tokens.push({ t: 'path', text: s.slice(at, i).trimEnd(), at });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(s);
      if (!m) fail('invalid number');
      tokens.push({ t: 'number', value: Number(m![0]), at: i });
      i += m![0].length;
    } else {
      NAME.lastIndex = i;
      const m = NAME.exec(s);
      if (!m) fail(`unexpected character '${c}'`);
      const text = m![0];
      if (text === 'null' || text === 'true' || text === 'false') {
        tokens.push({ t: 'keyword', value: text === 'null' ? null : text === 'true', at: i });
      } else {
        tokens.push({ t: 'name', text, at: i });
      }
      i += text.length;
    }
  }
  tokens.push({ t: 'end', at: s.length });
  return tokens;
}

// ---------------------------------------------------------------- parser

const MAX_CACHE = 5_000;
const cache = new Map<string, IntrinsicCall | IntrinsicSyntaxError>();

/** Parses one intrinsic call; throws IntrinsicSyntaxError. */
export function parseIntrinsic(expression: string): IntrinsicCall {
  let parsed = cache.get(expression);
  if (parsed === undefined) {
    try {
      parsed = new Parser(expression, tokenize(expression)).parse();
    } catch (e) {
      if (!(e instanceof IntrinsicSyntaxError)) throw e;
      parsed = e;
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(expression, parsed);
  }
  if (parsed instanceof IntrinsicSyntaxError) throw parsed;
  return parsed;
}

class Parser {
  private k = 0;

  constructor(
    private readonly s: string,
    private readonly tokens: Token[],
  ) {}

  private fail(why: string, at: number): never {
    throw new IntrinsicSyntaxError(`${why} at position ${at} in '${this.s}'`);
  }

  parse(): IntrinsicCall {
    const call = this.call(1);
    const t = this.tokens[this.k]!;
    if (t.t !== 'end') this.fail('unexpected text after the intrinsic function call', t.at);
    return call;
  }

  private call(depth: number): IntrinsicCall {
    const t = this.tokens[this.k++]!;
    if (t.t !== 'name') return this.fail('expected an intrinsic function name', t.at);
    if (depth > MAX_INTRINSIC_DEPTH) this.fail(`intrinsic functions cannot be nested more than ${MAX_INTRINSIC_DEPTH} deep`, t.at);
    const open = this.tokens[this.k++]!;
    if (open.t !== '(') this.fail(`expected '(' after '${t.text}'`, open.at);
    const args: IntrinsicArg[] = [];
    if (this.tokens[this.k]!.t === ')') {
      this.k++;
      return { name: t.text, args };
    }
    for (;;) {
      args.push(this.arg(depth));
      const sep = this.tokens[this.k++]!;
      if (sep.t === ')') return { name: t.text, args };
      if (sep.t !== ',') this.fail(`expected ',' or ')' in the arguments of '${t.text}'`, sep.at);
    }
  }

  private arg(depth: number): IntrinsicArg {
    const t = this.tokens[this.k]!;
    switch (t.t) {
      case 'string':
        this.k++;
        return { kind: 'literal', value: t.value, raw: t.raw };
      case 'number':
      case 'keyword':
        this.k++;
        return { kind: 'literal', value: t.value };
      case 'path':
        this.k++;
        return { kind: 'path', path: t.text };
      case 'name':
        return { kind: 'call', call: this.call(depth + 1) };
      default:
        return this.fail('expected an argument', t.at);
    }
  }
}
