import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AslValidationError,
  assertValid,
  formatDiagnostic,
  validate,
  type DiagnosticCode,
  type StateMachineType,
} from '../src/validate/index.js';

/**
 * The validator against fixtures: every file in fixtures/valid must validate cleanly (and pass
 * asl-validator as an independent check); every file in fixtures/invalid must produce exactly the
 * diagnostics (code, location, severity, and message where given) listed in its `.expect.json`.
 * Rules that need generated input (size, nesting, non-JSON values) are in the table below.
 */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface Expectation {
  description: string;
  type?: StateMachineType;
  diagnostics: { code: DiagnosticCode; location: string; severity?: 'ERROR' | 'WARNING'; message?: string }[];
}

function readText(dir: string, file: string): string {
  return readFileSync(`${FIXTURES}${dir}/${file}`, 'utf8');
}

const validFiles = readdirSync(`${FIXTURES}valid`).filter((f) => f.endsWith('.json'));
const invalidCases = readdirSync(`${FIXTURES}invalid`)
  .filter((f) => f.endsWith('.expect.json'))
  .map((f) => {
    const name = f.slice(0, -'.expect.json'.length);
    return { name, expectation: JSON.parse(readText('invalid', f)) as Expectation, text: readText('invalid', `${name}.json`) };
  });

/** Deep-freezes a value so any write by the validator throws (strict mode). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

type AslValidator = (definition: unknown) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

/**
 * Valid fixtures asl-validator 4.0.0 rejects although AWS accepts them (skipped for the
 * cross-check only):
 * - activities-and-tokens.json: `arn:aws:lambda:${var.region}:${data...account_id}:function:invoice`
 *   is a Terraform template; AWS only ever sees the substituted ARN, asl-validator's ARN regex sees
 *   the raw `${...}` tokens.
 */
const ASL_VALIDATOR_SKIP = new Set(['activities-and-tokens.json']);

describe('valid fixtures', () => {
  it('has the fixtures the acceptance criteria name', () => {
    expect(validFiles).toEqual(expect.arrayContaining(['fulfilment-saga.json', 'jsonata-machine.json', 'distributed-map.json']));
  });

  it.each(validFiles)('%s validates with no diagnostics', (file) => {
    const definition = deepFreeze(JSON.parse(readText('valid', file)));
    const types: StateMachineType[] = file.includes('.express.') ? ['STANDARD', 'EXPRESS'] : ['STANDARD'];
    for (const type of types) expect(validate(definition, { type })).toEqual({ result: 'OK', diagnostics: [] });
    expect(validate(readText('valid', file))).toEqual({ result: 'OK', diagnostics: [] });
    expect(() => assertValid(definition)).not.toThrow();
  });

  it.each(validFiles.filter((f) => !ASL_VALIDATOR_SKIP.has(f)))('%s also passes asl-validator', (file) => {
    const { isValid, errorsText } = aslValidator(JSON.parse(readText('valid', file)));
    expect(isValid, isValid ? '' : errorsText('\n')).toBe(true);
  });

  it('the fulfilment saga exercises the features it claims', () => {
    const text = readText('valid', 'fulfilment-saga.json');
    for (const feature of ['"Retry"', '"Catch"', '"Choice"', '"Parallel"', '"Map"', '.waitForTaskToken', '$$.Task.Token', 'JitterStrategy', 'States.Format']) {
      expect(text).toContain(feature);
    }
    expect(Object.keys(JSON.parse(text).States).length).toBeGreaterThanOrEqual(25);
  });
});

describe('invalid fixtures', () => {
  it.each(invalidCases.map((c) => [c.name, c] as const))('%s', (_name, { expectation, text }) => {
    const { result, diagnostics } = validate(text, expectation.type ? { type: expectation.type } : {});
    const actual = diagnostics.map((d) => ({ code: d.code, location: d.location, severity: d.severity }));
    const expected = expectation.diagnostics.map((d) => ({ code: d.code, location: d.location, severity: d.severity ?? 'ERROR' }));
    expect(actual).toEqual(expected);
    expectation.diagnostics.forEach((d, i) => {
      if (d.message !== undefined) expect(diagnostics[i]!.message).toBe(d.message);
    });
    expect(result).toBe(expected.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK');
  });

  it('object input gives the same diagnostics as the JSON text, without mutating it', () => {
    for (const { name, expectation, text } of invalidCases) {
      if (name === 'not-json') continue;
      const parsed = JSON.parse(text) as unknown;
      const frozen = deepFreeze(JSON.parse(text) as unknown);
      const options = expectation.type ? { type: expectation.type } : {};
      expect(validate(frozen, options), name).toEqual(validate(text, options));
      expect(frozen).toEqual(parsed);
    }
  });
});

// ---------------------------------------------------------------- generated inputs

const pass = { Type: 'Pass', End: true };

function nestedValue(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { k: v };
  return v;
}

describe('generated inputs', () => {
  it.each([
    ['null', null],
    ['a number', 42],
    ['a boolean', true],
    ['an array', [{ StartAt: 'A' }]],
    ['undefined', undefined],
    ['an empty string', ''],
    ['a blank string', '  \n'],
    ['a JSON string literal', '"StartAt"'],
  ])('%s is not a definition', (_label, input) => {
    expect(validate(input)).toEqual({
      result: 'FAIL',
      diagnostics: [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object', location: '' }],
    });
  });

  it('rejects a definition over the 1 MB quota (1,048,576 characters)', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'x'.repeat(1_048_576), End: true } } };
    const { diagnostics } = validate(definition);
    expect(diagnostics).toEqual([
      {
        severity: 'ERROR',
        code: 'SCHEMA_VALIDATION_FAILED',
        message: expect.stringMatching(/^Definition exceeds the 1 MB quota: 1048\d{3} characters, the maximum is 1048576$/),
        location: '',
      },
    ]);
    expect(validate(JSON.stringify(definition)).diagnostics).toEqual(diagnostics);
    // Just under the limit is fine.
    const fits = { StartAt: 'A', States: { A: { Type: 'Pass', Result: '', End: true } } };
    fits.States.A.Result = 'x'.repeat(1_048_576 - JSON.stringify(fits).length);
    expect(JSON.stringify(fits).length).toBe(1_048_576);
    expect(validate(fits).result).toBe('OK');
  });

  it('reports JSON values nested too deeply to walk, and survives absurd nesting', () => {
    const deep = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: nestedValue(300), End: true } } };
    expect(validate(deep).diagnostics.map((d) => d.code)).toEqual(['TOO_DEEPLY_NESTED']);
    const absurd = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: nestedValue(100_000), End: true } } };
    expect(validate(absurd).diagnostics.map((d) => d.code)).toEqual(['TOO_DEEPLY_NESTED']);
  });

  it('reports a cyclic object instead of throwing', () => {
    const states: Record<string, unknown> = { A: { Type: 'Pass', End: true } };
    const definition = { StartAt: 'A', States: states };
    states.self = definition;
    const { result, diagnostics } = validate(definition);
    expect(result).toBe('FAIL');
    expect(diagnostics[0]).toMatchObject({ code: 'SCHEMA_VALIDATION_FAILED', location: '' });
    expect(diagnostics[0]!.message).toMatch(/^Definition is not serializable as JSON/);
  });

  it('ignores undefined-valued fields, as JSON.stringify does', () => {
    expect(validate({ StartAt: 'A', Comment: undefined, States: { A: { Type: 'Pass', Next: undefined, End: true } } }).result).toBe('OK');
  });

  it('accepts 20 levels of Parallel nesting and rejects 21', () => {
    const nest = (levels: number): unknown => {
      let scope: unknown = { StartAt: 'Leaf', States: { Leaf: pass } };
      for (let i = levels; i >= 1; i--) scope = { StartAt: `L${i}`, States: { [`L${i}`]: { Type: 'Parallel', Branches: [scope], End: true } } };
      return scope;
    };
    expect(validate(nest(20)).result).toBe('OK');
    expect(validate(nest(21)).diagnostics.map((d) => d.code)).toEqual(['TOO_DEEPLY_NESTED']);
  });

  it('state names with Object.prototype names are ordinary names', () => {
    const definition = JSON.parse('{"StartAt":"constructor","States":{"constructor":{"Type":"Pass","Next":"__proto__"},"__proto__":{"Type":"Succeed"}}}');
    expect(validate(definition)).toEqual({ result: 'OK', diagnostics: [] });
    expect(validate({ StartAt: 'A', States: { A: { Type: 'toString', End: true } } }).diagnostics.map((d) => d.location)).toEqual(['/States/A/Type']);
  });

  it('counts state-name length in characters (code points), not UTF-16 units', () => {
    const name = '📦'.repeat(80);
    expect(validate({ StartAt: name, States: { [name]: { Type: 'Succeed' } } }).result).toBe('OK');
  });
});

describe('assertValid, AslValidationError and formatDiagnostic', () => {
  const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, C: { Type: 'Succeed' } } };

  it('formats diagnostics as AWS does', () => {
    const [missing, unreachable] = validate(broken).diagnostics;
    expect(formatDiagnostic(missing!)).toBe("MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next");
    expect(formatDiagnostic(unreachable!)).toBe('MISSING_TRANSITION_TARGET: State "C" is not reachable. at /States/C');
    expect(formatDiagnostic({ severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', location: '' })).toBe(
      'MISSING_END_STATE: Workflow has no terminal state',
    );
  });

  it('throws one error listing every ERROR diagnostic, in the InvalidDefinition wording', () => {
    let thrown: unknown;
    try {
      assertValid(broken);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AslValidationError);
    const error = thrown as AslValidationError;
    expect(error.name).toBe('AslValidationError');
    expect(error.message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next, MISSING_TRANSITION_TARGET: State \"C\" is not reachable. at /States/C'",
    );
    expect(error.diagnostics).toHaveLength(2);
  });

  it('does not throw for warnings only', () => {
    const warned = { StartAt: 'A', States: { A: { Type: 'Pass', Result: { 'id.$': '$.id' }, End: true } } };
    expect(validate(warned).result).toBe('OK');
    expect(() => assertValid(warned)).not.toThrow();
  });

  it('honours the EXPRESS type option', () => {
    const callback = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    };
    expect(validate(callback).result).toBe('OK');
    expect(() => assertValid(callback, { type: 'EXPRESS' })).toThrow(
      "SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration at /States/T/Resource",
    );
  });
});

describe('rule coverage', () => {
  it('every diagnostic code is produced by at least one fixture', () => {
    const codes = new Set(invalidCases.flatMap((c) => c.expectation.diagnostics.map((d) => d.code)));
    const all: DiagnosticCode[] = [
      'INVALID_JSON_DESCRIPTION',
      'SCHEMA_VALIDATION_FAILED',
      'MISSING_TRANSITION_TARGET',
      'MISSING_END_STATE',
      'DUPLICATE_STATE_NAME',
      'INVALID_STATE_NAME',
      'TOO_DEEPLY_NESTED',
      'INVALID_RESOURCE',
      'INVALID_JSONATA_EXPRESSION',
      'UNSUPPORTED_JSONATA_EXPRESSION',
      'NO_DOLLAR',
      'PASS_RESULT_IS_STATIC',
      'CALLBACK_WITHOUT_TOKEN',
    ];
    expect([...codes].sort()).toEqual([...all].sort());
  });
});

describe('performance', () => {
  it('validates the ~40-state fulfilment saga in well under 1 ms (median of 1000 runs)', () => {
    const definition = JSON.parse(readText('valid', 'fulfilment-saga.json'));
    for (let i = 0; i < 200; i++) validate(definition);
    const times: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const start = performance.now();
      validate(definition);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[500]!;
    console.info(`validate(fulfilment-saga): median ${(median * 1000).toFixed(0)} µs, p95 ${(times[950]! * 1000).toFixed(0)} µs`);
    expect(median).toBeLessThan(1);
  });
});
