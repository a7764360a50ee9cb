import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELP, main } from '../src/cli.js';

/**
 * The `asl` CLI: `main()` in-process for every fixture, and the real `bin/asl.js` (which runs the
 * built `dist/cli.js`; the test target depends on the build) for exit codes and output.
 */

const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/asl.js', import.meta.url));
const VALID = fileURLToPath(new URL('./fixtures/valid/', import.meta.url));
const INVALID = fileURLToPath(new URL('./fixtures/invalid/', import.meta.url));

interface Expectation {
  type?: 'STANDARD' | 'EXPRESS';
  diagnostics: { code: string; location: string; severity?: string }[];
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } });
  return { code, stdout, stderr };
}

function bin(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: PACKAGE, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const invalidNames = readdirSync(INVALID)
  .filter((f) => f.endsWith('.expect.json'))
  .map((f) => f.slice(0, -'.expect.json'.length))
  .filter((n) => n !== 'not-json');

describe('asl validate (in-process)', () => {
  it('prints OK and exits 0 for a valid file', async () => {
    const r = await run(['validate', `${VALID}fulfilment-saga.json`]);
    expect(r).toEqual({ code: 0, stdout: `${VALID}fulfilment-saga.json: OK\n1 file checked: 1 valid, 0 invalid (0 errors)\n`, stderr: '' });
  });

  it('prints one line per diagnostic and a summary, and exits 1 for an invalid file', async () => {
    const file = `${INVALID}missing-next-target.json`;
    const r = await run(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `${file}: ERROR MISSING_TRANSITION_TARGET at /States/A/Next: Missing 'Next' target: Shipp`,
      `${file}: ERROR MISSING_TRANSITION_TARGET at /States/Ship: State "Ship" is not reachable.`,
      '1 file checked: 0 valid, 1 invalid (2 errors)',
      '',
    ]);
  });

  it('reports the same diagnostics as the fixtures expect, for every invalid fixture (--format json)', async () => {
    for (const type of ['STANDARD', 'EXPRESS'] as const) {
      const names = invalidNames.filter((n) => {
        const e = JSON.parse(readFileSync(`${INVALID}${n}.expect.json`, 'utf8')) as Expectation;
        return (e.type ?? 'STANDARD') === type;
      });
      const r = await run(['validate', ...names.map((n) => `${INVALID}${n}.json`), '--type', type, '--format', 'json', '--warnings']);
      const out = JSON.parse(r.stdout) as { files: { file: string; result: string; diagnostics: { code: string; location: string; severity: string }[] }[] };
      expect(out.files.map((f) => f.file)).toEqual(names.map((n) => `${INVALID}${n}.json`));
      for (const [i, n] of names.entries()) {
        const expected = (JSON.parse(readFileSync(`${INVALID}${n}.expect.json`, 'utf8')) as Expectation).diagnostics;
        expect(out.files[i]!.diagnostics.map((d) => [d.code, d.location, d.severity]), n).toEqual(
          expected.map((d) => [d.code, d.location, d.severity ?? 'ERROR']),
        );
      }
      const anyError = out.files.some((f) => f.result === 'FAIL');
      expect(r.code).toBe(anyError ? 1 : 0);
    }
  });

  it('hides warnings unless --warnings is given', async () => {
    const file = `${INVALID}no-dollar.json`;
    expect((await run(['validate', file])).stdout).toBe(`${file}: OK\n1 file checked: 1 valid, 0 invalid (0 errors)\n`);
    const r = await run(['validate', file, '--warnings']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}: WARNING NO_DOLLAR at /States/A/Parameters/Payload: `);
    expect(r.stdout).toContain('(0 errors, 2 warnings)');
  });

  it('applies --type EXPRESS', async () => {
    const file = `${INVALID}express-unsupported.json`;
    expect((await run(['validate', file])).code).toBe(0);
    const r = await run(['validate', `--type=EXPRESS`, file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("ERROR SCHEMA_VALIDATION_FAILED at /States/T1/Resource: Express state machine does not support '.sync' service integration");
  });

  it('exits 2 for a file that is not JSON or cannot be read, and still checks the others', async () => {
    const r = await run(['validate', `${INVALID}not-json.json`, 'no/such/file.json', `${VALID}minimal.json`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^asl: '${INVALID}not-json.json' is not valid JSON: .+\nasl: cannot read 'no/such/file.json': ENOENT`));
    expect(r.stdout).toBe(`${VALID}minimal.json: OK\n3 files checked: 1 valid, 0 invalid, 2 unreadable (0 errors)\n`);
  });

  it.each([
    [[], 'missing command'],
    [['lint', 'x.json'], "unknown command 'lint'"],
    [['validate'], 'no files to validate'],
    [['validate', 'x.json', '--type', 'FAST'], "--type must be STANDARD or EXPRESS, got 'FAST'"],
    [['validate', 'x.json', '--format'], '--format needs a value'],
    [['validate', 'x.json', '--format', 'yaml'], "--format must be text or json, got 'yaml'"],
    [['validate', 'x.json', '--strict'], "unknown option '--strict'"],
  ])('usage error %j exits 2', async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`asl: ${message}\n\n${HELP}`);
  });

  it('prints help on --help', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: HELP, stderr: '' });
    expect((await run(['validate', '--help'])).stdout).toBe(HELP);
  });
});

describe('bin/asl.js', () => {
  it('exits 0 and prints OK for a valid fixture', () => {
    const r = bin(['validate', 'test/fixtures/valid/jsonata-machine.json']);
    expect(r).toEqual({ status: 0, stdout: 'test/fixtures/valid/jsonata-machine.json: OK\n1 file checked: 1 valid, 0 invalid (0 errors)\n', stderr: '' });
  });

  it('exits 1 with one line per diagnostic for an invalid fixture', () => {
    const r = bin(['validate', 'test/fixtures/invalid/states-all-not-last.json']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'test/fixtures/invalid/states-all-not-last.json: ERROR SCHEMA_VALIDATION_FAILED at /States/T/Catch[0]/ErrorEquals: States.ALL must appear alone and at end of list\n' +
        '1 file checked: 0 valid, 1 invalid (1 error)\n',
    );
  });

  it('--format json', () => {
    const r = bin(['validate', 'test/fixtures/valid/minimal.json', 'test/fixtures/invalid/unreachable-state.json', '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      type: 'STANDARD',
      files: [
        { file: 'test/fixtures/valid/minimal.json', result: 'OK', diagnostics: [] },
        {
          file: 'test/fixtures/invalid/unreachable-state.json',
          result: 'FAIL',
          diagnostics: [
            { severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: 'State "AuditLog" is not reachable.', location: '/States/AuditLog' },
          ],
        },
      ],
      summary: { files: 2, valid: 1, invalid: 1, unreadable: 0, errors: 1, warnings: 0 },
    });
  });

  it('exits 2 on usage errors and unreadable files', () => {
    expect(bin([]).status).toBe(2);
    const r = bin(['validate', 'test/fixtures/invalid/not-json.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^asl: 'test\/fixtures\/invalid\/not-json.json' is not valid JSON: /);
  });
});
