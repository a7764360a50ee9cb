import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.js';
import { evaluateJsonata, isJsonataExpression, type JsonataBindings } from './jsonata.js';
import { context, deepFreeze, rejected } from './spec-fixtures.test.js';

const input = deepFreeze({ order: { id: 'o-1', items: [{ sku: 'A', price: 5 }, { sku: 'B', price: 15 }] }, one: [7], empty: [] }) as JsonValue;

function bindings(extra: Partial<JsonataBindings> = {}): JsonataBindings {
  return { input, context: context(), variables: { limit: 10, customer: { tier: 'gold' } }, random: seededRandom(7), ...extra };
}

const ev = (value: JsonValue, extra: Partial<JsonataBindings> = {}, location = 'Output') => evaluateJsonata(value, bindings(extra), location);

describe('isJsonataExpression', () => {
  it('a JSONata expression is a string that starts with {% and ends with %}', () => {
    expect(isJsonataExpression('{% 1 %}')).toBe(true);
    expect(isJsonataExpression('{%1%}')).toBe(true);
    expect(isJsonataExpression(' {% 1 %}')).toBe(false);
    expect(isJsonataExpression('{% 1 %} ')).toBe(false);
    expect(isJsonataExpression('{%}')).toBe(false);
    expect(isJsonataExpression(42)).toBe(false);
  });
});

describe('evaluateJsonata: values', () => {
  it('a field that is one expression is replaced by its value', async () => {
    expect(await ev('{% $states.input.order.id %}')).toBe('o-1');
    expect(await ev('{% 1 + 2 %}')).toBe(3);
  });

  it('expressions nested in objects and arrays are evaluated; other values are kept', async () => {
    const out = await ev({ id: '{% $states.input.order.id %}', fixed: 'x', list: ['{% $limit %}', 2, { deep: '{% $customer.tier %}' }], n: null });
    expect(out).toEqual({ id: 'o-1', fixed: 'x', list: [10, 2, { deep: 'gold' }], n: null });
  });

  it('strings that are not whole expressions are literal text', async () => {
    expect(await ev({ a: 'total: {% 1 %}', b: '{%1%} and more' })).toEqual({ a: 'total: {% 1 %}', b: '{%1%} and more' });
  });

  it('a value without expressions is returned as is (no copy)', async () => {
    const v = { a: [1, { b: 'c' }] };
    expect(await ev(v)).toBe(v);
  });

  it('$states.context, $states.result and $states.errorOutput are bound', async () => {
    expect(await ev('{% $states.context.Execution.Name %}')).toBe('exec-1');
    expect(await ev('{% $states.result.ok %}', { result: { ok: true } })).toBe(true);
    expect(await ev('{% $states.errorOutput.Error %}', { errorOutput: { Error: 'E', Cause: 'c' } })).toBe('E');
  });

  it('a JSON null result is a value and keeps its key', async () => {
    expect(await ev({ v: '{% $lookup({"bar": null}, "bar") %}' })).toEqual({ v: null });
    expect(await ev('{% null %}')).toBeNull();
  });

  it('an empty array from the input stays an array', async () => {
    expect(await ev('{% $states.input.empty %}')).toEqual([]);
  });

  it('results are plain JSON arrays, never JSONata sequences', async () => {
    const out = (await ev('{% $states.input.order.items.sku %}')) as unknown[];
    expect(out).toEqual(['A', 'B']);
    expect(Object.keys(out)).toEqual(['0', '1']);
    const nested = (await ev('{% {"skus": $states.input.order.items.sku} %}')) as { skus: unknown[] };
    expect(Object.keys(nested.skus)).toEqual(['0', '1']);
  });

  it('non-finite numbers are written as strings, as AWS does', async () => {
    expect(await ev('{% 1/0 %}')).toBe('Infinity');
  });

  it('evaluation never mutates the bound data, even with the keep-array operator []', async () => {
    // `input` is deep-frozen: a write throws, which would surface as QueryEvaluationError.
    expect(await ev('{% $states.input.one[] %}')).toEqual([7]);
    expect(await ev('{% $states.input.order.items[price > 10][] %}')).toEqual([{ sku: 'B', price: 15 }]);
    expect(await ev('{% $states.input.order.items ~> |$|{"x": 1}| %}')).toEqual([
      { sku: 'A', price: 5, x: 1 },
      { sku: 'B', price: 15, x: 1 },
    ]);
    expect(await ev('{% $sort($states.input.order.items.price, function($a, $b){ $a < $b }) %}')).toEqual([15, 5]);
  });
});

describe('evaluateJsonata: AWS functions', () => {
  it('$partition splits an array into chunks', async () => {
    expect(await ev('{% $partition([1,2,3,4,5,6,7,8,9], 3) %}')).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(await ev('{% $partition([1,2,3], 2) %}')).toEqual([[1, 2], [3]]);
  });

  it('$range is inclusive and counts down with a negative step', async () => {
    expect(await ev('{% $range(0, 10, 2) %}')).toEqual([0, 2, 4, 6, 8, 10]);
    expect(await ev('{% $range(9, 1, -2) %}')).toEqual([9, 7, 5, 3, 1]);
    expect(await ev('{% $range(1.7, 3.2, 1) %}')).toEqual([1, 2, 3]);
  });

  it('$range with one element is the bare number', async () => {
    expect(await ev('{% $range(3, 3, 1) %}')).toBe(3);
  });

  it('$range with a step pointing away from the end returns nothing', async () => {
    const e = await rejected(ev('{% $range(3, 1, 1) %}'));
    expect(e.cause).toBe("The JSONata expression '$range(3, 1, 1)' specified for the field 'Output' returned nothing (undefined).");
  });

  it('$hash computes hex digests with the States.Hash algorithms', async () => {
    expect(await ev("{% $hash('input data', 'SHA-1') %}")).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(await ev("{% $hash('input data', 'MD5') %}")).toBe('812f45842bc6d66ee14572ce20db8e86');
    const e = await rejected(ev("{% $hash('x', 'SHA-3') %}"));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toContain("algorithm 'SHA-3' is not supported");
  });

  it('$random() is in [0, 1) and draws from the bound random source', async () => {
    expect(await ev('{% $random() %}', { random: () => 0.25 })).toBe(0.25);
  });

  it('$random(seed) is deterministic', async () => {
    const a = await ev('{% $random(42) %}', { random: Math.random });
    const b = await ev('{% $random(42) %}', { random: Math.random });
    expect(a).toBe(b);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1);
  });

  it('$uuid() is a v4 UUID reproducible under a seeded random', async () => {
    const a = await ev('{% $uuid() %}');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await ev('{% $uuid() %}')).toBe(a);
  });

  it('concurrent evaluations each use their own random source', async () => {
    const [a, b] = await Promise.all([ev('{% $random() %}', { random: () => 0.1 }), ev('{% $random() %}', { random: () => 0.9 })]);
    expect([a, b]).toEqual([0.1, 0.9]);
  });

  it('$parse parses JSON text', async () => {
    expect(await ev('{% $parse(\'{"a":[1,2]}\') %}')).toEqual({ a: [1, 2] });
    const e = await rejected(ev("{% $parse('{nope') %}"));
    expect(e.name).toBe('States.QueryEvaluationError');
  });

  it('$eval is disabled', async () => {
    const e = await rejected(ev('{% $eval("1 + 1") %}'));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toContain('T1006');
  });
});

describe('evaluateJsonata: errors', () => {
  it('an expression that returns nothing fails with States.QueryEvaluationError naming the field', async () => {
    const e = await rejected(ev({ v: '{% $states.input.missing %}' }));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toBe("The JSONata expression '$states.input.missing' specified for the field 'Output/v' returned nothing (undefined).");
  });

  it('the field location names object keys with / and array indexes with [i]', async () => {
    const e = await rejected(evaluateJsonata({ a: { b: [1, '{% $nope %}'] } }, bindings(), 'Arguments'));
    expect(e.cause).toContain("for the field 'Arguments/a/b[1]'");
  });

  it('referring to an unassigned variable fails the field', async () => {
    const e = await rejected(ev('{% $notAssigned %}'));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toContain("'$notAssigned' specified for the field 'Output' returned nothing (undefined)");
  });

  it('$states.result is undefined where the state does not provide it', async () => {
    expect((await rejected(ev('{% $states.result %}'))).name).toBe('States.QueryEvaluationError');
  });

  it('an evaluation error fails with its JSONata code and message', async () => {
    const e = await rejected(ev('{% $states.input.order.id + 1 %}'));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toMatch(
      /^The JSONata expression '\$states\.input\.order\.id \+ 1' specified for the field 'Output' threw an error during evaluation\. T2001: /,
    );
  });

  it('a function signature mismatch fails with T0410', async () => {
    expect((await rejected(ev("{% $range('0', 4, 1) %}"))).cause).toContain('T0410');
  });

  it('a syntax error fails with States.QueryEvaluationError', async () => {
    const e = await rejected(ev('{% a[1,2) %}'));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toContain('could not be parsed');
  });

  it('a function value is not a JSON result', async () => {
    expect((await rejected(ev('{% function($x){ $x } %}'))).cause).toContain('returned a function');
  });

  it('runaway recursion is stopped', async () => {
    const e = await rejected(ev('{% ($f := function($n){ 1 + $f($n + 1) }; $f(0)) %}'));
    expect(e.name).toBe('States.QueryEvaluationError');
    expect(e.cause).toContain('D1011');
  });
});
