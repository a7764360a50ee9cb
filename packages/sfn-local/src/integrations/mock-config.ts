import { completedCallback } from './types.js';
import type { JsonValue } from '@saga/asl';
import { runtimeError, StatesError } from '../errors.js';
import { isJsonObject } from './common.js';
import type { TaskResolver } from './types.js';

/*
 * Step Functions Local's MockConfigFile:
 *
 *   { "StateMachines": { "<stateMachineName>": { "TestCases": { "<testCase>": { "<StateName>": "<MockedResponseName>" } } } },
 *     "MockedResponses": { "<MockedResponseName>": { "0": { "Return": <result> }, "1-2": { "Throw": { "Error": "...", "Cause": "..." } } } } }
 *
 * Invocation keys are zero-based integers or inclusive ranges; as in Step Functions Local they
 * must cover 0..n consecutively (no gaps, no overlaps), and "you must specify a mocked response
 * for every invocation": an invocation past the last key fails the execution (`States.Runtime`)
 * rather than repeating the last response.
 */

export interface MockedThrow {
  Error: string;
  Cause?: string;
}

export type MockedResponseEntry = { Return: JsonValue } | { Throw: MockedThrow };

export interface MockConfig {
  StateMachines: { [stateMachineName: string]: { TestCases: { [testCase: string]: { [stateName: string]: string } } } };
  MockedResponses: { [responseName: string]: { [invocations: string]: MockedResponseEntry } };
}

/** A MockConfigFile that does not follow the format; `path` locates the problem (`$.MockedResponses.X["1-2"]`). */
export class MockConfigError extends Error {
  override readonly name = 'MockConfigError';

  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`Invalid mock config at ${path}: ${detail}`);
  }
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const child = (path: string, key: string): string => (IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);
const INVOCATION_KEY = /^(0|[1-9]\d*)(?:-(0|[1-9]\d*))?$/;

function expectObject(value: unknown, path: string, what: string): { [key: string]: JsonValue } {
  if (!isJsonObject(value as JsonValue)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new MockConfigError(path, `${what} must be a JSON object, got ${got}`);
  }
  return value as { [key: string]: JsonValue };
}

function onlyKeys(obj: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new MockConfigError(child(path, key), `unknown field '${key}' (expected ${allowed.map((k) => `'${k}'`).join(' or ')})`);
    }
  }
}

interface Range {
  start: number;
  end: number;
  key: string;
  entry: MockedResponseEntry;
}

function parseEntry(value: unknown, path: string): MockedResponseEntry {
  const obj = expectObject(value, path, 'a mocked response');
  onlyKeys(obj, ['Return', 'Throw'], path);
  const hasReturn = 'Return' in obj;
  const hasThrow = 'Throw' in obj;
  if (hasReturn === hasThrow) {
    throw new MockConfigError(path, "a mocked response must contain exactly one of 'Return' or 'Throw'");
  }
  if (hasReturn) {
    if (obj['Return'] === undefined) throw new MockConfigError(child(path, 'Return'), "'Return' must be a JSON value");
    return { Return: obj['Return'] };
  }
  const throwPath = child(path, 'Throw');
  const t = expectObject(obj['Throw'], throwPath, "'Throw'");
  onlyKeys(t, ['Error', 'Cause'], throwPath);
  if (typeof t['Error'] !== 'string' || t['Error'] === '') {
    throw new MockConfigError(child(throwPath, 'Error'), "'Error' must be a non-empty string");
  }
  if (t['Cause'] !== undefined && typeof t['Cause'] !== 'string') {
    throw new MockConfigError(child(throwPath, 'Cause'), "'Cause' must be a string");
  }
  return t['Cause'] === undefined ? { Throw: { Error: t['Error'] } } : { Throw: { Error: t['Error'], Cause: t['Cause'] } };
}

/** The ranges of one mocked response, sorted and checked to cover 0..n consecutively. */
function parseRanges(value: unknown, path: string): Range[] {
  const obj = expectObject(value, path, 'a mocked response');
  const keys = Object.keys(obj);
  if (keys.length === 0) throw new MockConfigError(path, 'a mocked response needs at least one invocation ("0")');
  const ranges: Range[] = keys.map((key) => {
    const m = INVOCATION_KEY.exec(key);
    if (!m) {
      throw new MockConfigError(
        child(path, key),
        `invocation key '${key}' must be a zero-based integer ("0") or an inclusive range ("1-2")`,
      );
    }
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (end < start) throw new MockConfigError(child(path, key), `range '${key}' ends before it starts`);
    return { start, end, key, entry: parseEntry(obj[key], child(path, key)) };
  });
  ranges.sort((a, b) => a.start - b.start);
  let next = 0;
  for (const r of ranges) {
    if (r.start > next) {
      throw new MockConfigError(
        child(path, r.key),
        `invocation ${next} has no response: keys must number invocations consecutively from 0`,
      );
    }
    if (r.start < next) {
      throw new MockConfigError(child(path, r.key), `range '${r.key}' overlaps invocations already covered (0-${next - 1})`);
    }
    next = r.end + 1;
  }
  return ranges;
}

const compiled = new WeakMap<MockConfig, Map<string, Range[]>>();

/**
 * Parses and validates a MockConfigFile (a JSON string or the parsed value). Throws
 * {@link MockConfigError} with the location of the first problem; unknown fields are rejected
 * (a misspelt `MockedResponse` would otherwise silently mock nothing).
 */
export function parseMockConfig(json: unknown): MockConfig {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new MockConfigError('$', `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const root = expectObject(value, '$', 'the mock config');
  onlyKeys(root, ['StateMachines', 'MockedResponses'], '$');
  if (root['MockedResponses'] === undefined) throw new MockConfigError('$', "missing field 'MockedResponses'");
  if (root['StateMachines'] === undefined) throw new MockConfigError('$', "missing field 'StateMachines'");

  const responsesPath = '$.MockedResponses';
  const responses = expectObject(root['MockedResponses'], responsesPath, "'MockedResponses'");
  const rangesByName = new Map<string, Range[]>();
  const outResponses: MockConfig['MockedResponses'] = {};
  for (const [name, def] of Object.entries(responses)) {
    const ranges = parseRanges(def, child(responsesPath, name));
    rangesByName.set(name, ranges);
    outResponses[name] = Object.fromEntries(ranges.map((r) => [r.key, r.entry]));
  }

  const machinesPath = '$.StateMachines';
  const machines = expectObject(root['StateMachines'], machinesPath, "'StateMachines'");
  const outMachines: MockConfig['StateMachines'] = {};
  for (const [smName, sm] of Object.entries(machines)) {
    const smPath = child(machinesPath, smName);
    const smObj = expectObject(sm, smPath, 'a state machine');
    onlyKeys(smObj, ['TestCases'], smPath);
    if (smObj['TestCases'] === undefined) throw new MockConfigError(smPath, "missing field 'TestCases'");
    const casesPath = child(smPath, 'TestCases');
    const cases = expectObject(smObj['TestCases'], casesPath, "'TestCases'");
    const outCases: { [testCase: string]: { [stateName: string]: string } } = {};
    for (const [caseName, tc] of Object.entries(cases)) {
      const casePath = child(casesPath, caseName);
      const states = expectObject(tc, casePath, 'a test case');
      const outStates: { [stateName: string]: string } = {};
      for (const [stateName, responseName] of Object.entries(states)) {
        const statePath = child(casePath, stateName);
        if (typeof responseName !== 'string' || responseName === '') {
          throw new MockConfigError(statePath, 'must be the name of a mocked response (a non-empty string)');
        }
        if (!rangesByName.has(responseName)) {
          throw new MockConfigError(statePath, `mocked response '${responseName}' is not defined in MockedResponses`);
        }
        outStates[stateName] = responseName;
      }
      outCases[caseName] = outStates;
    }
    outMachines[smName] = { TestCases: outCases };
  }

  const config: MockConfig = structuredClone({ StateMachines: outMachines, MockedResponses: outResponses });
  compiled.set(
    config,
    new Map([...rangesByName].map(([name]) => [name, parseRanges(config.MockedResponses[name], child(responsesPath, name))])),
  );
  return config;
}

export interface MockResolverOptions {
  stateMachineName: string;
  testCase: string;
  /**
   * What picks the response: `'invocation'` (default, as Step Functions Local does) counts every
   * invocation of the state within an execution, retries and Map iterations included;
   * `'attempt'` uses the invocation's retry count, so each Map iteration starts again at "0".
   */
  indexBy?: 'invocation' | 'attempt';
}

/** A mock resolver, with what the engine and tests may ask it. */
export type MockResolver = TaskResolver & {
  /** Whether this test case mocks `stateName` (a mocked `.waitForTaskToken` task completes with the mock, no callback). */
  mocks(stateName: string): boolean;
  /** How many times `stateName` was invoked in that execution so far. */
  invocations(executionArn: string, stateName: string): number;
  /** Forgets invocation counts (of one execution, or all). */
  reset(executionArn?: string): void;
};

/**
 * A resolver answering the Task states a test case lists with their mocked responses: `Return`
 * becomes the task result, `Throw` fails the task with `Error`/`Cause`. States the test case does
 * not list fall through (undefined) to the next resolver. An invocation beyond the responses
 * defined fails with `States.Runtime`.
 */
export function createMockResolver(config: MockConfig, options: MockResolverOptions): MockResolver {
  const parsed = compiled.has(config) ? config : parseMockConfig(config);
  const ranges = compiled.get(parsed)!;
  const machine = parsed.StateMachines[options.stateMachineName];
  if (!machine) {
    const known = Object.keys(parsed.StateMachines);
    throw new MockConfigError(
      '$.StateMachines',
      `no state machine '${options.stateMachineName}' (defined: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  const testCase = machine.TestCases[options.testCase];
  if (!testCase) {
    const known = Object.keys(machine.TestCases);
    throw new MockConfigError(
      `${child('$.StateMachines', options.stateMachineName)}.TestCases`,
      `no test case '${options.testCase}' (defined: ${known.length ? known.join(', ') : 'none'})`,
    );
  }
  const indexBy = options.indexBy ?? 'invocation';
  const counters = new Map<string, Map<string, number>>();

  const resolver: TaskResolver = (invocation) => {
    const responseName = testCase[invocation.stateName];
    if (responseName === undefined) return undefined;
    const byState = counters.get(invocation.execution.executionArn) ?? new Map<string, number>();
    counters.set(invocation.execution.executionArn, byState);
    const count = byState.get(invocation.stateName) ?? 0;
    byState.set(invocation.stateName, count + 1);
    const index = indexBy === 'attempt' ? invocation.attempt : count;
    const list = ranges.get(responseName)!;
    const range = list.find((r) => index >= r.start && index <= r.end);
    if (!range) {
      const last = list[list.length - 1]!.end;
      return Promise.reject(
        runtimeError(
          invocation.stateName,
          `The mocked response '${responseName}' of test case '${options.testCase}' has no response for invocation ${index} (it defines invocations 0-${last}).`,
        ),
      );
    }
    const entry = range.entry;
    if ('Return' in entry) {
      const result = structuredClone(entry.Return);
      // A mocked callback task completes from the mock, as in Step Functions Local.
      return Promise.resolve(invocation.taskToken ? completedCallback(result) : result);
    }
    return Promise.reject(new StatesError(entry.Throw.Error, entry.Throw.Cause));
  };

  return Object.assign(resolver, {
    mocks: (stateName: string) => testCase[stateName] !== undefined,
    invocations: (executionArn: string, stateName: string) => counters.get(executionArn)?.get(stateName) ?? 0,
    reset: (executionArn?: string) => {
      if (executionArn === undefined) counters.clear();
      else counters.delete(executionArn);
    },
  });
}
