import { describe, expect, it } from 'vitest';
import { analyseJsonata } from './jsonata.js';

describe('analyseJsonata', () => {
  it.each([
    '$states.input.orderId',
    "$states.input.items[price > 10].name",
    '$count($states.input.items) * 2',
    "{'a': $x, 'b': $states.context.Execution.Id}",
    '($t := $now(); $t)',
    '$map($states.input.items, function($i) { $i.sku })',
    '$states.input.a ? 1 : 2',
  ])('%s parses with no top-level references', (expr) => {
    expect(analyseJsonata(expr)).toEqual({ topLevel: [], usesResult: false, usesErrorOutput: false });
  });

  it.each([
    ['phone', ['phone']],
    ['order.total', ['order']],
    ['$count(items)', ['items']],
    ["'a' & b", ['b']],
    ['{"k": v}', ['v']],
    ['$', ['$']],
    ['$$.a', ['$$']],
    ['[a, -b]', ['a', 'b']],
  ])('%s reads %j at the top level', (expr, refs) => {
    expect(analyseJsonata(expr).topLevel).toEqual(refs);
  });

  it('finds $states.result and $states.errorOutput anywhere', () => {
    expect(analyseJsonata('$merge([$states.input, {"e": $states.errorOutput.Cause}])').usesErrorOutput).toBe(true);
    expect(analyseJsonata('$states.result.Payload[0]').usesResult).toBe(true);
  });

  it("reports the parser's message", () => {
    expect(analyseJsonata('1 +').syntaxError).toBe('Unexpected end of expression');
    expect(analyseJsonata('').syntaxError).toBe('Unexpected end of expression');
  });

  it('caches analyses by text', () => {
    expect(analyseJsonata('$states.input.cached')).toBe(analyseJsonata('$states.input.cached'));
  });
});
