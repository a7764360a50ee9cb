import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from './intrinsic.js';
import { parseIntrinsic, tokenize } from './intrinsic-parser.js';
import { scope, thrown } from './spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}, vars: Record<string, JsonValue> = {}) => evaluateIntrinsic(expr, input, scope(vars));

describe('intrinsic tokenizer and parser', () => {
  it("string escapes \\' \\{ \\} \\\\ are unescaped in values and kept in the raw text", () => {
    const call = parseIntrinsic("States.Array('it\\'s', 'a \\{b\\}', 'back\\\\slash')");
    expect(call.args).toEqual([
      { kind: 'literal', value: "it's", raw: "it\\'s" },
      { kind: 'literal', value: 'a {b}', raw: 'a \\{b\\}' },
      { kind: 'literal', value: 'back\\slash', raw: 'back\\\\slash' },
    ]);
  });

  it('numbers, null, true and false are literal arguments', () => {
    expect(run('States.Array(1, -2.5, 3e2, null, true, false)')).toEqual([1, -2.5, 300, null, true, false]);
  });

  it('path arguments end at a top-level comma or parenthesis, not inside brackets or quotes', () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.x[?(@.y == ')')], $$.Execution.Id, $v.f)");
    expect(call.args.map((a) => (a.kind === 'path' ? a.path : a.kind))).toEqual(["$['a,b']", "$.x[?(@.y == ')')]", '$$.Execution.Id', '$v.f']);
  });

  it('an invalid escape sequence is rejected', () => {
    const e = thrown(() => run("States.Format('a\\nb')"));
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('invalid escape sequence');
  });

  it('unterminated strings, missing parentheses and trailing text are rejected', () => {
    for (const bad of ["States.Format('abc)", 'States.Array(1, 2', 'States.Array(1) x', 'States.Array(1,)', 'States.Array']) {
      expect(thrown(() => run(bad)).name, bad).toBe('States.IntrinsicFailure');
    }
  });

  it('tokenize produces the end token last', () => {
    expect(tokenize('States.UUID()').map((t) => t.t)).toEqual(['name', '(', ')', 'end']);
  });

  it('parsed calls are cached by text', () => {
    expect(parseIntrinsic('States.Array(1)')).toBe(parseIntrinsic('States.Array(1)'));
  });
});

describe('evaluateIntrinsic', () => {
  it('calls nest deeply (the AWS myArn example, nine nested calls)', () => {
    const input = { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my.recipe/1.0.0' } };
    const inner = "States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.')";
    // The documentation's template has three placeholders for two values, which States.Format rejects.
    expect(thrown(() => run(`States.Format('{}.{}.{}', States.ArrayGetItem(${inner}, 0), States.ArrayGetItem(${inner}, 1))`, input)).name).toBe(
      'States.IntrinsicFailure',
    );
    expect(run(`States.Format('{}.{}', States.ArrayGetItem(${inner}, 0), States.ArrayGetItem(${inner}, 1))`, input)).toBe('1.0');
  });

  it('intrinsic calls nest at most 10 deep', () => {
    const nest = (n: number): string => (n === 1 ? 'States.Array(1)' : `States.Array(${nest(n - 1)})`);
    expect(run(nest(10))).toEqual([[[[[[[[[[1]]]]]]]]]]);
    const e = thrown(() => run(nest(11)));
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain('nested more than 10 deep');
  });

  it('an unknown function fails with States.IntrinsicFailure', () => {
    const e = thrown(() => run('States.Nope(1)'));
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain("'States.Nope' does not exist");
    expect(thrown(() => run('States.toString(1)')).name).toBe('States.IntrinsicFailure');
  });

  it('a wrong argument count fails with States.IntrinsicFailure naming the arity', () => {
    const e = thrown(() => run('States.ArrayLength()'));
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toBe('Invalid arguments in States.ArrayLength: States.ArrayLength takes exactly 1 argument, but 0 were given');
    expect(thrown(() => run('States.MathRandom(1)')).cause).toContain('takes 2 to 3 arguments, but 1 was given');
  });

  it('a wrong argument type fails with States.IntrinsicFailure naming the argument', () => {
    const e = thrown(() => run("States.ArrayPartition($.a, '2')", { a: [1] }));
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toBe(
      "Invalid arguments in States.ArrayPartition: the second argument ('chunkSize') must be an integer, but was string \"2\"",
    );
  });

  it('arguments may come from the context object and variables', () => {
    expect(run("States.Format('{} {}', $$.Execution.Name, $who)", {}, { who: 'me' })).toBe('exec-1 me');
  });

  it('a path argument that matches nothing fails with States.Runtime', () => {
    const e = thrown(() => run('States.ArrayLength($.missing)', { a: 1 }));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'");
  });

  it('an indefinite path argument passes the array of its matches', () => {
    expect(run('States.ArrayLength($.items[*].id)', { items: [{ id: 1 }, { id: 2 }, {}] })).toBe(2);
  });
});
