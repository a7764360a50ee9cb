import type { JsonValue } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic } from '../intrinsic.js';
import { scope, thrown } from '../spec-fixtures.test.js';

const run = (expr: string, input: JsonValue = {}) => evaluateIntrinsic(expr, input, scope());
const failure = (expr: string, input: JsonValue = {}) => thrown(() => run(expr, input));

describe('States.StringSplit', () => {
  it('States.StringSplit splits at a delimiter (AWS example)', () => {
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' })).toEqual(['1', '2', '3', '4', '5']);
  });

  it('States.StringSplit treats every character of the delimiter string as a delimiter (AWS example)', () => {
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' })).toEqual([
      'This',
      'is',
      'a',
      'test',
      'string',
    ]);
  });

  it('States.StringSplit drops empty pieces', () => {
    expect(run("States.StringSplit(',a,,b,', ',')")).toEqual(['a', 'b']);
    expect(run("States.StringSplit('', ',')")).toEqual([]);
  });

  it('States.StringSplit with an empty delimiter returns the whole string', () => {
    expect(run("States.StringSplit('abc', '')")).toEqual(['abc']);
  });

  it('States.StringSplit requires strings', () => {
    expect(failure("States.StringSplit(1, ',')").name).toBe('States.IntrinsicFailure');
  });
});
