import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../errors.js';
import { parsePath } from './path-parser.js';
import { queryPath, sliceIndexes } from './path-query.js';
import { context, deepFreeze, scope, thrown } from './spec-fixtures.test.js';

const store = deepFreeze({
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
  'name with space': 'spaced',
  flags: [{ id: 1, on: true }, { id: 2 }, { id: 3, on: false }],
}) as JsonValue;

const q = (path: string, input: JsonValue = store) => queryPath(path, input, scope({ order: { id: 'o-9', lines: [1, 2] } }));

describe('queryPath: definite paths', () => {
  it('$ alone is the input itself (same reference)', () => {
    expect(q('$')).toBe(store);
  });

  it('dot and bracket member access read nested values', () => {
    expect(q('$.store.bicycle.color')).toBe('red');
    expect(q("$['store']['bicycle']['color']")).toBe('red');
    expect(q('$["store"].bicycle')).toEqual({ color: 'red', price: 19.95 });
  });

  it('bracket notation reads names with spaces, also after a dot', () => {
    expect(q("$['name with space']")).toBe('spaced');
    expect(q("$.['name with space']")).toBe('spaced');
  });

  it('[n] indexes arrays and a negative index counts from the end', () => {
    expect(q('$.store.book[0].author')).toBe('Nigel Rees');
    expect(q('$.store.book[-1].title')).toBe('The Lord of the Rings');
  });

  it('values are returned by reference, not copied', () => {
    expect(q('$.store.bicycle')).toBe((store as { store: { bicycle: unknown } }).store.bicycle);
  });

  it('a null value is a match, not a miss', () => {
    expect(q('$.a', { a: null })).toBeNull();
  });

  it('a missing intermediate property fails with Jayway\'s "Missing property in path"', () => {
    const e = thrown(() => q('$.no.such.result.path'));
    expect(e).toBeInstanceOf(StatesError);
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toBe(
      "An error occurred while executing the state 'Charge'. Invalid path '$.no.such.result.path' : Missing property in path $['no']",
    );
  });

  it('a missing leaf property fails with "No results for path"', () => {
    expect(thrown(() => q('$.store.missing')).cause).toContain("Invalid path '$.store.missing' : No results for path: $['store']['missing']");
  });

  it('an index out of range on a definite path fails', () => {
    expect(thrown(() => q('$.store.book[9]')).cause).toContain('No results for path');
  });

  it('a property step on a non-object fails naming what was found', () => {
    expect(thrown(() => q('$.expensive.x')).cause).toContain("Expected to find an object with property ['x'] in path $['expensive'] but found 'number'");
  });

  it('an index step on a non-array fails as Jayway words it', () => {
    expect(thrown(() => q('$.expensive[0]')).cause).toContain('Filter: [0] can only be applied to arrays. Current context is: 10');
  });

  it('a property union as the last step yields one object with those properties (Jayway merge)', () => {
    expect(q("$.store.bicycle['color','price','nope']")).toEqual({ color: 'red', price: 19.95 });
  });
});

describe('queryPath: indefinite paths', () => {
  it('[*] and .* select every element or value', () => {
    expect(q('$.store.book[*].author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(q('$.store.bicycle.*')).toEqual(['red', 19.95]);
  });

  it('index unions gather into an array', () => {
    expect(q('$.store.book[0,1].price')).toEqual([8.95, 12.99]);
  });

  it('a property union before further steps iterates the properties', () => {
    expect(q("$.store['bicycle','nope'].color")).toEqual(['red']);
  });

  it('slices select [start:end) with optional step and negative bounds', () => {
    expect(q('$.store.book[0:2].price')).toEqual([8.95, 12.99]);
    expect(q('$.store.book[-2:].price')).toEqual([8.99, 22.99]);
    expect(q('$.store.book[:1].price')).toEqual([8.95]);
    expect(q('$.store.book[::2].price')).toEqual([8.95, 8.99]);
    expect(q('$.store.book[::-1].price')).toEqual([22.99, 8.99, 12.99, 8.95]);
  });

  it('sliceIndexes follows Python semantics', () => {
    expect(sliceIndexes(5, 1, 4, 1)).toEqual([1, 2, 3]);
    expect(sliceIndexes(5, -3, undefined, 1)).toEqual([2, 3, 4]);
    expect(sliceIndexes(5, undefined, undefined, -2)).toEqual([4, 2, 0]);
    expect(sliceIndexes(5, 10, 20, 1)).toEqual([]);
  });

  it('..name scans the whole tree in pre-order', () => {
    expect(q('$..price')).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
    expect(q('$.store..color')).toEqual(['red']);
  });

  it('..* returns every descendant value', () => {
    expect(q('$..*', { a: { b: 1 }, c: [2] })).toEqual([{ b: 1 }, [2], 1, 2]);
  });

  it('a filter compares with ==, !=, <, <=, >, >=', () => {
    expect(q("$.store.book[?(@.category == 'reference')].title")).toEqual(['Sayings of the Century']);
    expect(q("$.store.book[?(@.category != 'fiction')].title")).toEqual(['Sayings of the Century']);
    expect(q('$.store.book[?(@.price < 10)].price')).toEqual([8.95, 8.99]);
    expect(q('$.store.book[?(@.price <= 8.99)].price')).toEqual([8.95, 8.99]);
    expect(q('$.store.book[?(@.price > 20)].price')).toEqual([22.99]);
    expect(q('$.store.book[?(@.price >= 22.99)].price')).toEqual([22.99]);
  });

  it('a filter with a bare path tests existence, not truthiness', () => {
    expect(q('$.store.book[?(@.isbn)].title')).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(q('$.flags[?(@.on)].id')).toEqual([1, 3]);
    expect(q('$.flags[?(!@.on)].id')).toEqual([2]);
  });

  it('a filter combines conditions with && and || and parentheses', () => {
    expect(q("$.store.book[?(@.category == 'fiction' && @.price > 10)].title")).toEqual(['Sword of Honour', 'The Lord of the Rings']);
    expect(q('$.items[?(@.x != null && @.y > 1)].y', { items: [{ x: null, y: 5 }, { x: 1, y: 2 }, { x: 1, y: 0 }] })).toEqual([2]);
    expect(q("$.store.book[?(@.price < 9 || @.author == 'Evelyn Waugh')].price")).toEqual([8.95, 12.99, 8.99]);
    expect(q("$.store.book[?((@.price < 9 || @.price > 20) && @.isbn)].price")).toEqual([8.99, 22.99]);
  });

  it('a missing property compares unequal to anything, so != null keeps it (Jayway)', () => {
    expect(q('$.flags[?(@.on != null)].id')).toEqual([1, 2, 3]);
    expect(q('$.flags[?(@.on == true)].id')).toEqual([1]);
  });

  it('a filter may compare with the root document ($)', () => {
    expect(q('$.store.book[?(@.price > $.expensive)].price')).toEqual([12.99, 22.99]);
  });

  it('a filter supports =~ regular expressions (whole-string match), in and nin', () => {
    expect(q('$.store.book[?(@.author =~ /.*REES/i)].price')).toEqual([8.95]);
    expect(q('$.store.book[?(@.author =~ /Rees/)].price')).toEqual([]);
    expect(q("$.store.book[?(@.category in ['reference'])].price")).toEqual([8.95]);
    expect(q("$.store.book[?(@.category nin ['reference'])].price")).toEqual([12.99, 8.99, 22.99]);
  });

  it('a filter compares numbers with numeric strings by value (Jayway)', () => {
    expect(q("$.items[?(@.n == '2')].n", { items: [{ n: 1 }, { n: 2 }] })).toEqual([2]);
  });

  it('a deep scan with a filter selects matching descendants', () => {
    expect(q('$..[?(@.price > 19)].price')).toEqual([22.99, 19.95]);
  });

  it('an indefinite path with no match returns []', () => {
    expect(q('$.store.book[?(@.price > 100)]')).toEqual([]);
    expect(q('$.store.book[*].missing')).toEqual([]);
    expect(q('$..nothing')).toEqual([]);
  });

  it('a missing property before the first indefinite step still fails', () => {
    expect(thrown(() => q('$.missing[*]')).cause).toContain("Missing property in path $['missing']");
  });

  it('trailing functions: length(), min(), max(), sum(), avg(), keys()', () => {
    expect(q('$.store.book.length()')).toBe(4);
    expect(q('$.store.book[*].price.min()')).toBe(8.95);
    expect(q('$.store.book[*].price.max()')).toBe(22.99);
    expect(q('$.nums.sum()', { nums: [1, 2, 3] })).toBe(6);
    expect(q('$.nums.avg()', { nums: [1, 2, 3] })).toBe(2);
    expect(q('$.store.bicycle.keys()')).toEqual(['color', 'price']);
  });
});

describe('queryPath: roots', () => {
  it('$$ reads the context object', () => {
    expect(q('$$.Execution.Name')).toBe('exec-1');
    expect(q('$$.State.Name')).toBe('Charge');
  });

  it('$$.Map.Item.Value comes from the context Map field', () => {
    const s = scope({}, { context: context({ Map: { Item: { Index: 2, Value: { sku: 'A' } } } }) });
    expect(queryPath('$$.Map.Item.Value.sku', {}, s)).toBe('A');
    expect(queryPath('$$.Map.Item.Index', {}, s)).toBe(2);
  });

  it('$name reads a variable and $name.field a field of it', () => {
    expect(q('$order')).toEqual({ id: 'o-9', lines: [1, 2] });
    expect(q('$order.id')).toBe('o-9');
    expect(q('$order.lines[1]')).toBe(2);
  });

  it('an unknown variable fails with States.Runtime naming it', () => {
    const e = thrown(() => q('$nope.id'));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("The variable '$nope' is not assigned");
  });

  it('a malformed path fails with States.Runtime', () => {
    const e = thrown(() => q('$.a['));
    expect(e.name).toBe('States.Runtime');
    expect(e.cause).toContain("Invalid path '$.a['");
    expect(thrown(() => q('store')).name).toBe('States.Runtime');
  });
});

describe('parsePath', () => {
  it('classifies definite and reference paths', () => {
    expect(parsePath('$.a.b[0]')).toMatchObject({ root: '$', definite: true, reference: true });
    expect(parsePath('$.a[*]')).toMatchObject({ definite: false, reference: false });
    expect(parsePath("$['a','b']")).toMatchObject({ definite: true, reference: false });
    expect(parsePath('$$.Execution.Id')).toMatchObject({ root: '$$' });
    expect(parsePath('$myVar.x')).toMatchObject({ root: 'variable', variable: 'myVar' });
  });

  it('reads variable names by Unicode identifier rules, ASCII or not', () => {
    expect(parsePath('$_v2.x')).toMatchObject({ root: 'variable', variable: '_v2' });
    expect(parsePath('$café.x')).toMatchObject({ root: 'variable', variable: 'café' });
    expect(parsePath('$Ωmega')).toMatchObject({ root: 'variable', variable: 'Ωmega' });
    expect(() => parsePath('$2x')).toThrow("unexpected character '2'");
  });

  it('caches parsed paths by text', () => {
    expect(parsePath('$.cached.path')).toBe(parsePath('$.cached.path'));
  });
});
