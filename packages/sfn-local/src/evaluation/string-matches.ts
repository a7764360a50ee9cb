/**
 * The StringMatches pattern language: `*` matches any run of characters (including none); `\*` is
 * a literal asterisk and `\\` a literal backslash. A backslash before any other character stands
 * for that character; a backslash ending the pattern is an error.
 */

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

const MAX_CACHE = 5_000;
const cache = new Map<string, RegExp | PatternError>();

/** Compiles a pattern to an anchored regular expression; throws PatternError. Cached by text. */
export function compileStringMatches(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = build(pattern);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(pattern, re);
  }
  if (re instanceof PatternError) throw re;
  return re;
}

function build(pattern: string): RegExp | PatternError {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (i + 1 >= pattern.length) return new PatternError(`the pattern '${pattern}' ends with an unescaped backslash`);
      source += escapeRegExp(pattern[++i]!);
    } else if (c === '*') {
      source += '[\\s\\S]*';
    } else {
      source += escapeRegExp(c);
    }
  }
  // No `u` flag: the pattern and the text are matched as UTF-16 code units, as Java does.
  return new RegExp(`${source}$`);
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Whether `text` matches the StringMatches `pattern`. */
export function stringMatches(text: string, pattern: string): boolean {
  return compileStringMatches(pattern).test(text);
}
