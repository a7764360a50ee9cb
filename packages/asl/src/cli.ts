import { readFile } from 'node:fs/promises';
import type { StateMachineType } from './validate/index.js';
import { validate, type Diagnostic } from './validate/index.js';

/**
 * `asl validate <file.json...> [--type STANDARD|EXPRESS] [--format text|json] [--warnings]`
 *
 * Exit codes: 0 no errors, 1 at least one definition has errors, 2 usage error or a file that
 * cannot be read or is not JSON.
 */

export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export const HELP = `Usage: asl validate <file.json...> [options]

Validate Amazon States Language definitions with the rules AWS applies at CreateStateMachine.

Options:
  --type STANDARD|EXPRESS  state machine type (default STANDARD); EXPRESS rejects
                           .sync, .waitForTaskToken and activities
  --format text|json       output format (default text)
  --warnings               also report warnings (NO_DOLLAR, PASS_RESULT_IS_STATIC,
                           CALLBACK_WITHOUT_TOKEN)
  -h, --help               show this help

Exit codes: 0 valid, 1 invalid definition(s), 2 usage error or unreadable / non-JSON file.
`;

interface Options {
  files: string[];
  type: StateMachineType;
  format: 'text' | 'json';
  warnings: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const opts: Options = { files: [], type: 'STANDARD', format: 'text', warnings: false, help: false };
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { ...opts, help: true };
  if (command === undefined) throw new UsageError('missing command');
  if (command !== 'validate') throw new UsageError(`unknown command '${command}'`);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '-h' || flag === '--help') opts.help = true;
    else if (flag === '--warnings') opts.warnings = true;
    else if (flag === '--type') {
      const v = value();
      if (v !== 'STANDARD' && v !== 'EXPRESS') throw new UsageError(`--type must be STANDARD or EXPRESS, got '${v}'`);
      opts.type = v;
    } else if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, got '${v}'`);
      opts.format = v;
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else opts.files.push(arg);
  }
  if (!opts.help && opts.files.length === 0) throw new UsageError('no files to validate');
  return opts;
}

interface FileReport {
  file: string;
  result: 'OK' | 'FAIL';
  diagnostics: Diagnostic[];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`asl: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    io.stdout.write(HELP);
    return 0;
  }

  const reports: FileReport[] = [];
  let unusable = 0;
  for (const file of opts.files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      io.stderr.write(`asl: cannot read '${file}': ${e instanceof Error ? e.message : String(e)}\n`);
      unusable++;
      continue;
    }
    try {
      JSON.parse(text);
    } catch (e) {
      io.stderr.write(`asl: '${file}' is not valid JSON: ${e instanceof Error ? e.message : String(e)}\n`);
      unusable++;
      continue;
    }
    const { result, diagnostics } = validate(text, { type: opts.type });
    reports.push({ file, result, diagnostics: opts.warnings ? diagnostics : diagnostics.filter((d) => d.severity === 'ERROR') });
  }

  const invalid = reports.filter((r) => r.result === 'FAIL').length;
  const errors = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'ERROR').length, 0);
  const warnings = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'WARNING').length, 0);

  if (opts.format === 'json') {
    const summary = { files: opts.files.length, valid: reports.length - invalid, invalid, unreadable: unusable, errors, warnings };
    io.stdout.write(`${JSON.stringify({ type: opts.type, files: reports, summary }, null, 2)}\n`);
  } else {
    for (const r of reports) {
      if (r.diagnostics.length === 0) io.stdout.write(`${r.file}: OK\n`);
      for (const d of r.diagnostics) {
        const at = d.location === '' ? '' : ` at ${d.location}`;
        io.stdout.write(`${r.file}: ${d.severity} ${d.code}${at}: ${d.message}\n`);
      }
    }
    const parts = [`${reports.length - invalid} valid`, `${invalid} invalid`];
    if (unusable > 0) parts.push(`${unusable} unreadable`);
    io.stdout.write(
      `${plural(opts.files.length, 'file')} checked: ${parts.join(', ')} (${plural(errors, 'error')}${opts.warnings ? `, ${plural(warnings, 'warning')}` : ''})\n`,
    );
  }
  return unusable > 0 ? 2 : invalid > 0 ? 1 : 0;
}
