import { describe, expect, it } from 'vitest';
import { AwsRegionName, ConfigError, DynamoTableName, EnvReader, EventBusName, readConfig } from './env.js';

const read = <T>(env: Record<string, string>, fn: (e: EnvReader) => T): T => readConfig('svc', env, fn);

describe('readConfig', () => {
  it('returns what the reader built when nothing is wrong', () => {
    expect(read({ A: ' x ' }, (e) => ({ a: e.required('A') }))).toEqual({ a: 'x' });
  });

  it('reads every variable first, then names each problem in one ConfigError', () => {
    let error: unknown;
    try {
      read({ B: 'x!', C: 'ftp://h' }, (e) => [e.required('A'), e.required('B', DynamoTableName), e.endpoint('C')]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({
      name: 'ConfigError',
      message: 'svc configuration: A is not set; B is not a DynamoDB table name or ARN; C must be http or https, got ftp:',
      problems: ['A is not set', 'B is not a DynamoDB table name or ARN', 'C must be http or https, got ftp:'],
    });
  });

  it('is a plain Error subclass for callers that construct one', () => {
    expect(new ConfigError('m').problems).toEqual(['m']);
    expect(new ConfigError('m')).toBeInstanceOf(Error);
  });
});

describe('EnvReader', () => {
  it('treats blank as unset and trims', () => {
    const e = new EnvReader({ A: '  ', B: ' b ' });
    expect(e.raw('A')).toBeUndefined();
    expect(e.optional('A')).toBeUndefined();
    expect(e.optional('B')).toBe('b');
    expect(e.problems).toEqual([]);
  });

  it('required: appends the hint to "is not set"', () => {
    const e = new EnvReader({});
    expect(e.required('KEY', undefined, 'the API key')).toBe('');
    expect(e.problems).toEqual(['KEY is not set: the API key']);
  });

  it('optional with a rule: names the rule, never echoes the value', () => {
    const e = new EnvReader({ KEY: 'secret value' });
    expect(e.optional('KEY', { pattern: /^\S+$/, what: 'a key without spaces' })).toBeUndefined();
    expect(e.problems).toEqual(['KEY is not a key without spaces']);
    expect(e.problems.join()).not.toContain('secret');
  });

  it.each([
    [{}, 5000, []],
    [{ T: '250' }, 250, []],
    [{ T: '5s' }, 5000, ['T must be an integer number of milliseconds, got "5s"']],
    [{ T: '-1' }, 5000, ['T must be an integer number of milliseconds, got "-1"']],
    [{ T: '99' }, 5000, ['T must be between 100 and 60000, got 99']],
    [{ T: '60001' }, 5000, ['T must be between 100 and 60000, got 60001']],
  ])('integer %j → %d %j', (env, value, problems) => {
    const e = new EnvReader(env);
    expect(e.integer('T', { default: 5000, min: 100, max: 60_000, unit: 'milliseconds' })).toBe(value);
    expect(e.problems).toEqual(problems);
  });

  it('integer without a unit', () => {
    const e = new EnvReader({ N: 'x' });
    e.integer('N', { default: 1, min: 0, max: 5 });
    expect(e.problems).toEqual(['N must be an integer, got "x"']);
  });

  it.each([
    ['https://h.test/base', {}, 'https://h.test/base', []],
    ['carrier', {}, undefined, ['U is not a URL']],
    ['ftp://h.test', {}, undefined, ['U must be http or https, got ftp:']],
    ['https://u:p@h.test', { noCredentials: true }, undefined, ['U must not carry credentials']],
    ['https://h.test?x=1', { noQuery: true }, undefined, ['U must not have a query or fragment']],
    ['https://h.test#f', { noQuery: true }, undefined, ['U must not have a query or fragment']],
    ['https://h.test/p', { noPath: true }, undefined, ['U must not have a path']],
    ['http://127.0.0.1:4010/', { noPath: true, noQuery: true, noCredentials: true }, 'http://127.0.0.1:4010/', []],
  ])('url %s %j', (value, options, href, problems) => {
    const e = new EnvReader({ U: value });
    expect(e.url('U', options)?.href).toBe(href);
    expect(e.problems).toEqual(problems);
  });

  it('url never echoes the value (it may carry credentials)', () => {
    const e = new EnvReader({ U: 'ftp://user:hunter2@h.test' });
    e.url('U');
    expect(e.problems.join()).not.toContain('hunter2');
  });

  it('required url: a problem with the hint, and a placeholder readConfig never returns', () => {
    const e = new EnvReader({});
    expect(e.url('U', { required: true, hint: 'the base URL' }).href).toBe('http://invalid.invalid/');
    expect(e.problems).toEqual(['U is not set: the base URL']);
    expect(() => readConfig('svc', {}, (r) => r.url('U', { required: true }))).toThrow('svc configuration: U is not set');
  });

  it('endpoint: the string the SDK takes, or undefined', () => {
    const e = new EnvReader({ A: ' http://127.0.0.1:8000 ', B: 'localhost:8000' });
    expect(e.endpoint('A')).toBe('http://127.0.0.1:8000');
    expect(e.endpoint('NONE')).toBeUndefined();
    expect(e.endpoint('B')).toBeUndefined();
    expect(e.problems).toEqual(['B must be http or https, got localhost:']);
  });

  it('problem: records a rule the readers cannot express', () => {
    const e = new EnvReader({});
    e.problem('set A or B');
    expect(e.problems).toEqual(['set A or B']);
  });
});

describe('rules', () => {
  it.each([
    ['saga-orders', true],
    ['arn:aws:dynamodb:eu-west-1:123456789012:table/saga-stock', true],
    ['ab', false],
    ['x!', false],
  ])('DynamoTableName %s → %s', (value, ok) => expect(DynamoTableName.pattern.test(value)).toBe(ok));

  it.each([
    ['saga-bus', true],
    ['arn:aws:events:eu-west-1:123456789012:event-bus/saga-bus', true],
    ['bus name with spaces', false],
  ])('EventBusName %s → %s', (value, ok) => expect(EventBusName.pattern.test(value)).toBe(ok));

  it.each([
    ['eu-central-1', true],
    ['us-gov-west-1', true],
    ['Europe', false],
  ])('AwsRegionName %s → %s', (value, ok) => expect(AwsRegionName.pattern.test(value)).toBe(ok));
});
