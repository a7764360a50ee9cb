import { describe, expect, it } from 'vitest';
import { intrinsicError, parsePath } from './paths.js';

describe('parsePath', () => {
  it.each([
    ['$', '$', true],
    ['$$', '$$', true],
    ['$.order.id', '$', true],
    ["$['first name']", '$', true],
    ["$.abc.['def ghi']", '$', true],
    ['$.items[0].sku', '$', true],
    ['$.items[-1]', '$', true],
    ['$$.Execution.Id', '$$', true],
    ['$$.Map.Item.Value', '$$', true],
    ['$orderId', 'variable', true],
    ['$order.lines[2]', 'variable', true],
    ['$..sku', '$', false],
    ['$.items[*]', '$', false],
    ['$[*][*]', '$', false],
    ['$.items[0,1]', '$', false],
    ['$.items[1:3]', '$', false],
    ["$.items[?(@.price > 10 && @.sku != 'x)')]", '$', false],
    ['$.items[(@.length-1)]', '$', false],
    ['$.items.length()', '$', false],
    ["$.a['x','y']", '$', false],
  ])('%s parses (root %s, reference %s)', (path, root, reference) => {
    expect(parsePath(path)).toEqual({ root, reference });
  });

  it.each(['', 'a', '$.', '$.a..', '$.a[', '$.a[x]', '$ .a', ' $.a', '$x-y', '$.a()b', '$.a[?(@.x]'])('%j does not parse', (path) => {
    expect(parsePath(path)).toBeUndefined();
  });
});

describe('intrinsicError', () => {
  it.each([
    "States.Format('Order {} for {}', $.id, $$.Execution.Name)",
    "States.Format('braces \\{\\} and a quote \\' and a backslash \\\\')",
    'States.UUID()',
    'States.Array()',
    'States.Array(1, -2.5, 3e2, null, true, false, $var, $.a[0])',
    'States.MathAdd(States.ArrayLength($.items), -1)',
    "States.ArrayGetItem($.a[?(@.kind == 'x, y')], 0)",
    "States.Hash($.body, 'SHA-256')",
    'States.MathRandom(1, 100)',
    'States.MathRandom(1, 100, $.seed)',
    'States.JsonMerge($.a, $.b, false)',
  ])('%s is a valid call', (call) => {
    expect(intrinsicError(call)).toBeUndefined();
  });

  it.each([
    ['States.Foo()', "unknown intrinsic function 'States.Foo'"],
    ["States.Format('x'", "unbalanced parentheses in 'States.Format'"],
    ["States.Format('x)", 'unterminated string argument'],
    ["States.Format('\\n')", 'invalid escape sequence in a string argument'],
    ['States.UUID(1)', "'States.UUID' takes 0 argument(s), got 1"],
    ['States.MathAdd(1)', "'States.MathAdd' takes 2 argument(s), got 1"],
    ['States.MathRandom(1)', "'States.MathRandom' takes 2 to 3 argument(s), got 1"],
    ['States.Format()', "'States.Format' takes at least 1 argument(s), got 0"],
    ['States.ArrayLength($.a[)', "invalid path argument '$.a[)'"],
    ['States.ArrayLength(items)', "invalid argument at 'items)'"],
    ['States.UUID() + 1', 'unexpected text after the intrinsic function call'],
  ])('%s: %s', (call, reason) => {
    expect(intrinsicError(call)).toBe(reason);
  });

  it('limits nesting to 10 levels', () => {
    const nest = (n: number): string => (n === 0 ? '$.a' : `States.ArrayLength(${nest(n - 1)})`);
    expect(intrinsicError(nest(10))).toBeUndefined();
    expect(intrinsicError(nest(11))).toBe('intrinsic functions nest deeper than 10');
  });
});
