import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { context, deepFreeze, scope, thrown } from './spec-fixtures.test.js';
import { evaluatePayloadTemplate } from './payload-template.js';

const input = deepFreeze({ order: { id: 'o-1', lines: [{ sku: 'A', qty: 2 }] }, name: 'Jane' }) as JsonValue;

describe('evaluatePayloadTemplate', () => {
  it('a key ending in .$ is renamed and its path evaluated against the input', () => {
    const t = { 'id.$': '$.order.id', fixed: 'x' };
    expect(evaluatePayloadTemplate(t, input, scope())).toEqual({ id: 'o-1', fixed: 'x' });
  });

  it('builds a new object each time, in template key order, with a __proto__ key as an own key', () => {
    const t = JSON.parse('{"z.$": "$.name", "__proto__.$": "$.order", "a": 1}') as JsonValue;
    const first = evaluatePayloadTemplate(t, input, scope()) as Record<string, unknown>;
    const second = evaluatePayloadTemplate(t, input, scope()) as Record<string, unknown>;
    expect(first).not.toBe(second);
    expect(Object.keys(first)).toEqual(['z', '__proto__', 'a']);
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(first, '__proto__')?.value).toEqual({ id: 'o-1', lines: [{ sku: 'A', qty: 2 }] });
    expect(JSON.stringify(second)).toBe('{"z":"Jane","__proto__":{"id":"o-1","lines":[{"sku":"A","qty":2}]},"a":1}');
  });

  it("'$' alone passes the whole input", () => {
    expect(evaluatePayloadTemplate({ 'all.$': '$' }, input, scope())).toEqual({ all: input });
  });

  it('.$ values may be context paths, variable paths and intrinsic calls', () => {
    const t = {
      'exec.$': '$$.Execution.Name',
      'v.$': '$customer.tier',
      'greeting.$': "States.Format('Hello {}', $.name)",
    };
    expect(evaluatePayloadTemplate(t, input, scope({ customer: { tier: 'gold' } }))).toEqual({
      exec: 'exec-1',
      v: 'gold',
      greeting: 'Hello Jane',
    });
  });

  it('$$.Map.Item.Value works in an ItemSelector', () => {
    const s = scope({}, { context: context({ Map: { Item: { Index: 0, Value: { sku: 'A' } } } }) });
    expect(evaluatePayloadTemplate({ 'item.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' }, {}, s)).toEqual({
      item: { sku: 'A' },
      i: 0,
    });
  });

  it('nested objects are templates too', () => {
    const t = { Payload: { 'orderId.$': '$.order.id', meta: { 'n.$': '$.name' } } };
    expect(evaluatePayloadTemplate(t, input, scope())).toEqual({ Payload: { orderId: 'o-1', meta: { n: 'Jane' } } });
  });

  it('objects inside arrays are templates too', () => {
    const t = { Entries: [{ 'Detail.$': '$.order', Source: 'saga' }, 'plain', [{ 'x.$': '$.name' }]] };
    expect(evaluatePayloadTemplate(t, input, scope())).toEqual({
      Entries: [{ Detail: { id: 'o-1', lines: [{ sku: 'A', qty: 2 }] }, Source: 'saga' }, 'plain', [{ x: 'Jane' }]],
    });
  });

  it('a template without .$ keys is returned as is', () => {
    const t = { a: { b: [1, 2] } };
    expect(evaluatePayloadTemplate(t, input, scope())).toBe(t);
    expect(evaluatePayloadTemplate('text', input, scope())).toBe('text');
  });

  it('constant parts are copied without evaluating strings that look like paths', () => {
    expect(evaluatePayloadTemplate({ literal: '$.order.id', 'x.$': '$.name' }, input, scope())).toEqual({ literal: '$.order.id', x: 'Jane' });
  });

  it('indefinite paths gather their matches into an array', () => {
    expect(evaluatePayloadTemplate({ 'skus.$': '$.order.lines[*].sku' }, input, scope())).toEqual({ skus: ['A'] });
  });

  it('the same template object gives fresh results for each input', () => {
    const t = { 'n.$': '$.n' };
    expect(evaluatePayloadTemplate(t, { n: 1 }, scope())).toEqual({ n: 1 });
    expect(evaluatePayloadTemplate(t, { n: 2 }, scope())).toEqual({ n: 2 });
  });

  it('a path that matches nothing fails with States.Runtime naming the field and the input', () => {
    const e = thrown(() => evaluatePayloadTemplate({ 'value.$': '$.missing' }, { a: 1 }, scope()));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toBe(
      "An error occurred while executing the state 'Charge'. The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{\"a\":1}'",
    );
  });

  it('an unassigned variable fails with States.Runtime', () => {
    const e = thrown(() => evaluatePayloadTemplate({ 'v.$': '$nope' }, {}, scope()));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("The variable '$nope' is not assigned");
  });

  it('a .$ value that is not a string fails with States.Runtime', () => {
    expect(thrown(() => evaluatePayloadTemplate({ 'v.$': 3 }, {}, scope())).name).toBe('States.Runtime');
  });

  it('an intrinsic failure inside a template propagates as States.IntrinsicFailure', () => {
    expect(thrown(() => evaluatePayloadTemplate({ 'v.$': 'States.ArrayLength($.name)' }, input, scope())).name).toBe(
      'States.IntrinsicFailure',
    );
  });
});
