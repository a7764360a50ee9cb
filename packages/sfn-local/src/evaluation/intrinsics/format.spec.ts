import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.Format', () => {
  it('States.Format fills {} placeholders in order (AWS example)', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe('Hello, my name is Arnav.');
  });

  it("States.Format keeps escaped quotes (AWS example: Jane Doe's playlist)", () => {
    expect(run("States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)", { firstName: 'Jane', lastName: 'Doe' })).toBe(
      "Welcome to Jane Doe's playlist.",
    );
  });

  it('States.Format inserts strings unquoted and numbers, booleans and null as JSON text', () => {
    expect(run("States.Format('{}|{}|{}|{}|{}', 'a', 1.5, 2, true, null)")).toBe('a|1.5|2|true|null');
  });

  it('States.Format treats \\{ and \\} as literal braces, not placeholders', () => {
    expect(run("States.Format('\\{\\} {} \\{x\\}', 'v')")).toBe('{} v {x}');
  });

  it('States.Format keeps a lone brace as written', () => {
    expect(run("States.Format('a { b } {}', 1)")).toBe('a { b } 1');
  });

  it('States.Format with a template read from a path uses it as is', () => {
    expect(run('States.Format($.t, $.v)', { t: 'order {} done', v: 7 })).toBe('order 7 done');
  });

  it('States.Format requires as many values as placeholders', () => {
    const e = failure("States.Format('{} {}', 'a')");
    expect(e.name).toBe('States.IntrinsicFailure');
    expect(e.cause).toContain("the template has 2 placeholders '{}' but 1 value was given");
    expect(failure("States.Format('{}', 'a', 'b')").name).toBe('States.IntrinsicFailure');
  });

  it('States.Format rejects arrays and objects as values', () => {
    expect(failure("States.Format('{}', $.a)", { a: [1] }).cause).toContain('must be a string, a number, a boolean or null, but was array');
    expect(failure("States.Format('{}', $.a)", { a: { x: 1 } }).name).toBe('States.IntrinsicFailure');
  });

  it('States.Format requires a string template', () => {
    expect(failure('States.Format(1)').name).toBe('States.IntrinsicFailure');
  });
});
