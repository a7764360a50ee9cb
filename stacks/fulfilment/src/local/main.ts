import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../bundles.js';
import { runDemo } from './demo.js';
import { startLocalStack } from './local-stack.js';
import { FAULT_PROFILE_NAMES, type FaultProfile } from './scenarios.js';
import { formatReport } from './summary.js';
import { synthesizedFile } from './terraform.js';

/**
 * `npm start`: the synthesized stack on this machine. Synthesizes when the sources are newer than
 * `cdktf.out`, starts the stand-ins, the engine and the review console, runs a demo batch with
 * faults, prints the summary. `--once` stops there (exit 0 only when every invariant holds);
 * otherwise everything keeps running for the console until Ctrl-C, and the data stays in
 * `.saga-local/` for the next start.
 */

const USAGE = `Usage: npm start -- [options]

  --orders N          orders in the demo batch (default 12; 0 runs none)
  --seed S            seed of the batch and of the engine's jitter (default 1)
  --faults PROFILE    ${FAULT_PROFILE_NAMES.join(' | ')} (default mixed)
  --real-time         waits and retry backoff take real time (default: virtual time)
  --once              headless: run the batch, print the summary, exit (0 only if every invariant holds)
  --data-dir DIR      where the engine, DynamoDB Local and Stripe keep their data
                      (default .saga-local/, or a temporary folder with --once)
  --port P            the engine's Step Functions endpoint (default 8083; 0 = any free port)
  --console-port P    the review console (default 8090; 0 = any free port)
  --bedrock-model ID  analyse unknown errors with Amazon Bedrock (needs AWS credentials); default: rules
  --verbose           the functions' logs too
  --help`;

class UsageError extends Error {}

interface Options {
  orders: number;
  seed: number;
  faults: FaultProfile;
  realTime: boolean;
  once: boolean;
  dataDir: string | undefined;
  port: number;
  consolePort: number;
  bedrockModel: string | undefined;
  verbose: boolean;
}

function parse(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      orders: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      'real-time': { type: 'boolean' },
      once: { type: 'boolean' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'console-port': { type: 'string' },
      'bedrock-model': { type: 'string' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const int = (name: string, raw: string | undefined, fallback: number, max: number) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) > max) throw new UsageError(`--${name} takes an integer from 0 to ${max}, got '${raw}'`);
    return Number(raw);
  };
  const faults = values.faults ?? 'mixed';
  if (!(FAULT_PROFILE_NAMES as string[]).includes(faults)) throw new UsageError(`--faults takes ${FAULT_PROFILE_NAMES.join(', ')}; got '${faults}'`);
  return {
    orders: int('orders', values.orders, 12, 10_000),
    seed: int('seed', values.seed, 1, 2 ** 31 - 1),
    faults: faults as FaultProfile,
    realTime: values['real-time'] ?? false,
    once: values.once ?? false,
    dataDir: values['data-dir'],
    port: int('port', values.port, 8083, 65_535),
    consolePort: int('console-port', values['console-port'], 8090, 65_535),
    bedrockModel: values['bedrock-model'] ?? process.env['SAGA_BEDROCK_MODEL_ID'],
    verbose: values.verbose ?? false,
  };
}

/** The newest modification time under the folders the synthesized stack is made from. */
function newestSource(root: string): number {
  const folders = ['stacks/fulfilment/src', 'packages/asl/src', 'packages/contracts/src', 'packages/lambda-kit/src'];
  for (const app of readdirSync(join(root, 'apps'))) folders.push(`apps/${app}/src`);
  let newest = 0;
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.(spec|test)\.ts$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const f of folders) walk(join(root, f));
  return newest;
}

/** Runs `npm run synth` unless `cdktf.out` is newer than every source it is made from and every bundle is there. */
function ensureSynth(root: string, say: (line: string) => void): void {
  const file = synthesizedFile(root, 'dev');
  let synthesizedAt = 0;
  try {
    synthesizedAt = statSync(file).mtimeMs;
  } catch {
    // not synthesized yet
  }
  const bundlesPresent = readdirSync(join(root, 'apps')).every(
    (app) => !existsSync(join(root, 'apps', app, 'src', 'handler.ts')) || existsSync(join(root, 'apps', app, 'dist', 'lambda', 'handler.mjs')),
  );
  if (bundlesPresent && synthesizedAt > newestSource(root)) {
    say('using the synthesized stack in cdktf.out (newer than its sources)');
    return;
  }
  say('synthesizing the stack (npm run synth: bundles the Lambdas, writes cdktf.out)…');
  const result = spawnSync('npm', ['run', '--silent', 'synth'], { cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', NX_NO_CLOUD: 'true' } });
  if (result.status !== 0) {
    throw new Error(`npm run synth failed:\n${(result.stdout ?? '') + (result.stderr ?? '')}`);
  }
}

function progress(done: number, total: number): void {
  if (process.stdout.isTTY) {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stdout.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} orders`);
    if (done === total) process.stdout.write('\n');
  } else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) {
    console.log(`  ${done}/${total} orders`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(argv);
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const say = (line: string) => console.log(line);
  const root = REPO_ROOT;
  // The functions run on nodejs22.x in AWS; on an older local Node the SDK's upgrade notice is noise.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  ensureSynth(root, say);

  const temporary = options.once && options.dataDir === undefined;
  const dataDir = options.dataDir ?? (temporary ? mkdtempSync(join(tmpdir(), 'saga-local-')) : join(root, '.saga-local'));
  const stack = await startLocalStack({
    dataDir,
    clock: options.realTime ? 'real' : 'virtual',
    seed: options.seed,
    sfnPort: options.once ? 0 : options.port,
    ...(options.once ? {} : { consolePort: options.consolePort }),
    ...(options.bedrockModel ? { bedrockModelId: options.bedrockModel } : {}),
    functionLogLevel: options.verbose ? 'INFO' : 'SILENT',
    log: options.verbose ? say : () => undefined,
  });
  try {
    say(`Step Functions endpoint  ${stack.sfnEndpoint}   (state machine ${stack.stateMachineArn})`);
    if (stack.consoleUrl) say(`review console           ${stack.consoleUrl}`);
    say(
      `error analysis           ${stack.analysis === 'bedrock' ? `Amazon Bedrock (${options.bedrockModel})` : 'rules classifier (set SAGA_BEDROCK_MODEL_ID and AWS credentials for Bedrock)'}`,
    );
    say(`data folder              ${dataDir}${temporary ? ' (temporary)' : ''}`);

    let ok = true;
    if (options.orders > 0) {
      say(`\nrunning ${options.orders} orders (faults: ${options.faults}, seed ${options.seed}, ${options.realTime ? 'real' : 'virtual'} time)`);
      const prefix = options.once ? `ord-s${options.seed}` : `ord-${Date.now().toString(36)}`;
      const report = await runDemo(stack, { orders: options.orders, seed: options.seed, profile: options.faults, prefix, onProgress: progress });
      say(`\n${formatReport(report)}`);
      ok = report.violations.length === 0;
    }
    if (options.once) return ok ? 0 : 1;

    say(`\nOpen ${stack.consoleUrl} to decide the orders awaiting review. Ctrl-C stops; the data stays in ${dataDir}.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    say('stopping…');
    return 0;
  } finally {
    await stack.close();
    if (temporary) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
