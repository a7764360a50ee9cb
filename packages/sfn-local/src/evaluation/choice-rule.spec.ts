import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateChoiceRule } from './choice-rule.js';
import { deepFreeze, scope, thrown } from './spec-fixtures.test.js';

const input = deepFreeze({
  s: 'abc',
  n: 10,
  f: 1.5,
  b: true,
  nul: null,
  ts: '2024-05-01T12:00:00Z',
  tsOffset: '2024-05-01T14:00:00+02:00',
  other: { s: 'abc', n: 10, b: true, ts: '2024-05-01T12:00:00.000Z' },
  arr: [1, 2],
}) as JsonValue;

const test = (rule: object, vars: Record<string, JsonValue> = {}) => evaluateChoiceRule(rule, input, scope(vars));

describe('evaluateChoiceRule: string comparators', () => {
  it('StringEquals matches equal strings only', () => {
    expect(test({ Variable: '$.s', StringEquals: 'abc' })).toBe(true);
    expect(test({ Variable: '$.s', StringEquals: 'ABC' })).toBe(false);
  });

  it('String ordering compares UTF-16 code units like Java String.compareTo', () => {
    expect(test({ Variable: '$.s', StringLessThan: 'abd' })).toBe(true);
    expect(test({ Variable: '$.s', StringGreaterThan: 'ab' })).toBe(true);
    expect(test({ Variable: '$.s', StringLessThanEquals: 'abc' })).toBe(true);
    expect(test({ Variable: '$.s', StringGreaterThanEquals: 'abd' })).toBe(false);
    // U+FF5E (one code unit) sorts after U+1F600 (surrogate pair starting 0xD83D) by code units.
    expect(evaluateChoiceRule({ Variable: '$', StringGreaterThan: '\u{1F600}' }, '\uFF5E', scope())).toBe(true);
    expect(test({ Variable: '$.s', StringLessThan: 'B' })).toBe(false); // 'a' (0x61) > 'B' (0x42): no case folding
  });

  it('String comparators on a non-string are false, not errors', () => {
    expect(test({ Variable: '$.n', StringEquals: '10' })).toBe(false);
    expect(test({ Variable: '$.nul', StringLessThan: 'z' })).toBe(false);
  });

  it('*Path forms compare with the value at another path', () => {
    expect(test({ Variable: '$.s', StringEqualsPath: '$.other.s' })).toBe(true);
    expect(test({ Variable: '$.n', NumericEqualsPath: '$.other.n' })).toBe(true);
    expect(test({ Variable: '$.n', NumericLessThanPath: '$.other.n' })).toBe(false);
    expect(test({ Variable: '$.b', BooleanEqualsPath: '$.other.b' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampEqualsPath: '$.other.ts' })).toBe(true);
    expect(test({ Variable: '$.s', StringEqualsPath: '$.n' })).toBe(false);
  });

  it('*Path operands may be context paths and variables', () => {
    expect(test({ Variable: '$.s', StringEqualsPath: '$limit' }, { limit: 'abc' })).toBe(true);
    expect(test({ Variable: '$$.Execution.Name', StringEquals: 'exec-1' })).toBe(true);
    expect(test({ Variable: '$threshold', NumericGreaterThan: 5 }, { threshold: 6 })).toBe(true);
  });

  it('a missing *Path operand fails with States.Runtime', () => {
    expect(thrown(() => test({ Variable: '$.s', StringEqualsPath: '$.nope' })).name).toBe('States.Runtime');
  });
});

describe('evaluateChoiceRule: StringMatches', () => {
  it('StringMatches treats * as any run of characters', () => {
    expect(test({ Variable: '$.s', StringMatches: 'a*' })).toBe(true);
    expect(test({ Variable: '$.s', StringMatches: '*c' })).toBe(true);
    expect(test({ Variable: '$.s', StringMatches: 'a*c*' })).toBe(true);
    expect(test({ Variable: '$.s', StringMatches: 'b*' })).toBe(false);
    expect(test({ Variable: '$.s', StringMatches: 'abc' })).toBe(true);
  });

  it('StringMatches treats \\* as a literal asterisk', () => {
    expect(evaluateChoiceRule({ Variable: '$', StringMatches: 'a\\*' }, 'a*', scope())).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$', StringMatches: 'a\\*' }, 'ab', scope())).toBe(false);
  });

  it('StringMatches on a non-string is false', () => {
    expect(test({ Variable: '$.n', StringMatches: '*' })).toBe(false);
  });

  it('StringMatches with a dangling backslash fails with States.Runtime', () => {
    expect(thrown(() => test({ Variable: '$.s', StringMatches: 'abc\\' })).name).toBe('States.Runtime');
  });
});

describe('evaluateChoiceRule: numeric and boolean comparators', () => {
  it('Numeric comparators compare numbers as doubles', () => {
    expect(test({ Variable: '$.n', NumericEquals: 10 })).toBe(true);
    expect(test({ Variable: '$.n', NumericEquals: 10.0 })).toBe(true);
    expect(test({ Variable: '$.f', NumericLessThan: 2 })).toBe(true);
    expect(test({ Variable: '$.f', NumericGreaterThan: 1.4 })).toBe(true);
    expect(test({ Variable: '$.n', NumericLessThanEquals: 10 })).toBe(true);
    expect(test({ Variable: '$.n', NumericGreaterThanEquals: 11 })).toBe(false);
  });

  it('Numeric comparators on a numeric string are false', () => {
    expect(evaluateChoiceRule({ Variable: '$', NumericEquals: 10 }, '10', scope())).toBe(false);
  });

  it('BooleanEquals matches booleans only', () => {
    expect(test({ Variable: '$.b', BooleanEquals: true })).toBe(true);
    expect(test({ Variable: '$.b', BooleanEquals: false })).toBe(false);
    expect(evaluateChoiceRule({ Variable: '$', BooleanEquals: true }, 'true', scope())).toBe(false);
  });
});

describe('evaluateChoiceRule: timestamp comparators', () => {
  it('Timestamp comparators compare instants across offsets and fractions', () => {
    expect(test({ Variable: '$.ts', TimestampEquals: '2024-05-01T12:00:00.000Z' })).toBe(true);
    expect(test({ Variable: '$.tsOffset', TimestampEquals: '2024-05-01T12:00:00Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampLessThan: '2024-05-01T12:00:00.000000001Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampGreaterThan: '2024-05-01T11:59:59.999Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampLessThanEquals: '2024-05-01T12:00:00Z' })).toBe(true);
    expect(test({ Variable: '$.ts', TimestampGreaterThanEquals: '2024-05-01T12:00:01Z' })).toBe(false);
  });

  it('Timestamp comparators on a non-timestamp are false', () => {
    expect(test({ Variable: '$.s', TimestampEquals: '2024-05-01T12:00:00Z' })).toBe(false);
    expect(evaluateChoiceRule({ Variable: '$', TimestampEquals: '2024-05-01' }, '2024-05-01', scope())).toBe(false);
  });

  it('timestamp-looking strings may still be compared by String operators', () => {
    expect(test({ Variable: '$.ts', StringEquals: '2024-05-01T12:00:00Z' })).toBe(true);
  });
});

describe('evaluateChoiceRule: type tests', () => {
  it('IsNull, IsNumeric, IsString, IsBoolean test the JSON type', () => {
    expect(test({ Variable: '$.nul', IsNull: true })).toBe(true);
    expect(test({ Variable: '$.s', IsNull: false })).toBe(true);
    expect(test({ Variable: '$.n', IsNumeric: true })).toBe(true);
    expect(test({ Variable: '$.s', IsNumeric: true })).toBe(false);
    expect(test({ Variable: '$.s', IsString: true })).toBe(true);
    expect(test({ Variable: '$.b', IsBoolean: true })).toBe(true);
    expect(test({ Variable: '$.nul', IsBoolean: false })).toBe(true);
  });

  it('IsTimestamp accepts RFC 3339 strings only', () => {
    expect(test({ Variable: '$.ts', IsTimestamp: true })).toBe(true);
    expect(test({ Variable: '$.s', IsTimestamp: true })).toBe(false);
    expect(test({ Variable: '$.n', IsTimestamp: false })).toBe(true);
  });

  it('IsPresent is false for a missing path, never an error', () => {
    expect(test({ Variable: '$.nope', IsPresent: true })).toBe(false);
    expect(test({ Variable: '$.nope', IsPresent: false })).toBe(true);
    expect(test({ Variable: '$.nope.deeper', IsPresent: false })).toBe(true);
    expect(test({ Variable: '$.nul', IsPresent: true })).toBe(true);
    expect(test({ Variable: '$unset', IsPresent: true })).toBe(false);
  });

  it('a missing Variable with any operator but IsPresent fails with States.Runtime', () => {
    const e = thrown(() => test({ Variable: '$.nope', StringEquals: 'x' }));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("Invalid path '$.nope': The choice state's condition path references an invalid value.");
    expect(thrown(() => test({ Variable: '$.nope', IsNull: true })).name).toBe('States.Runtime');
  });
});

describe('evaluateChoiceRule: boolean expressions', () => {
  it('And is true when every rule is', () => {
    expect(test({ And: [{ Variable: '$.n', NumericGreaterThan: 5 }, { Variable: '$.s', StringEquals: 'abc' }] })).toBe(true);
    expect(test({ And: [{ Variable: '$.n', NumericGreaterThan: 5 }, { Variable: '$.s', StringEquals: 'x' }] })).toBe(false);
  });

  it('Or is true when any rule is, and short-circuits in order', () => {
    // The second rule would fail (missing Variable) if it were evaluated.
    expect(test({ Or: [{ Variable: '$.b', BooleanEquals: true }, { Variable: '$.nope', StringEquals: 'x' }] })).toBe(true);
    expect(test({ Or: [{ Variable: '$.b', BooleanEquals: false }, { Variable: '$.n', NumericEquals: 1 }] })).toBe(false);
  });

  it('And short-circuits on the first false rule', () => {
    expect(test({ And: [{ Variable: '$.b', BooleanEquals: false }, { Variable: '$.nope', StringEquals: 'x' }] })).toBe(false);
  });

  it('Not negates a rule and rules nest', () => {
    expect(test({ Not: { Variable: '$.s', StringEquals: 'abc' } })).toBe(false);
    expect(
      test({
        And: [{ Not: { Variable: '$.nope', IsPresent: true } }, { Or: [{ Variable: '$.n', NumericLessThan: 0 }, { Variable: '$.f', NumericEquals: 1.5 }] }],
      }),
    ).toBe(true);
  });

  it('IsPresent guards a comparison inside And (the documented pattern)', () => {
    expect(test({ And: [{ Variable: '$.nope', IsPresent: true }, { Variable: '$.nope', StringEquals: 'x' }] })).toBe(false);
  });

  it('top-level fields Next, Comment and Assign are ignored', () => {
    expect(test({ Variable: '$.n', NumericEquals: 10, Next: 'X', Comment: 'c', Assign: { x: 1 } })).toBe(true);
  });

  it('a rule with no operator fails with States.Runtime', () => {
    expect(thrown(() => test({ Variable: '$.n', Next: 'X' })).name).toBe('States.Runtime');
    expect(thrown(() => test({ Next: 'X' })).name).toBe('States.Runtime');
  });
});
