import { describe, expect, it } from 'vitest';
import { compileStringMatches, PatternError, stringMatches } from './string-matches.js';

describe('StringMatches patterns', () => {
  it('StringMatches * matches any run of characters, including none', () => {
    expect(stringMatches('log.txt', '*.txt')).toBe(true);
    expect(stringMatches('.txt', '*.txt')).toBe(true);
    expect(stringMatches('log.txt.bak', '*.txt')).toBe(false);
    expect(stringMatches('a\nb', 'a*b')).toBe(true);
  });

  it('StringMatches treats \\* as a literal asterisk', () => {
    expect(stringMatches('a*b', 'a\\*b')).toBe(true);
    expect(stringMatches('axb', 'a\\*b')).toBe(false);
  });

  it('StringMatches treats \\\\ as a literal backslash', () => {
    expect(stringMatches('a\\b', 'a\\\\b')).toBe(true);
    expect(stringMatches('a\\xyz', 'a\\\\*')).toBe(true);
  });

  it('StringMatches treats regular-expression characters literally', () => {
    expect(stringMatches('a.b', 'a.b')).toBe(true);
    expect(stringMatches('axb', 'a.b')).toBe(false);
    expect(stringMatches('(x)+[y]?', '(x)+[y]?')).toBe(true);
  });

  it('StringMatches matches the whole string', () => {
    expect(stringMatches('xabcx', 'abc')).toBe(false);
  });

  it('StringMatches rejects a pattern ending in a lone backslash', () => {
    expect(() => compileStringMatches('abc\\')).toThrow(PatternError);
  });

  it('compiled patterns are cached', () => {
    expect(compileStringMatches('cache*')).toBe(compileStringMatches('cache*'));
  });
});
