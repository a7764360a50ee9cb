/**
 * The `bench` target of every app (nx.json targetDefaults): the size of the app's Lambda bundle and
 * the median cold `import()` time of it in fresh Node processes, against the budgets of issue #4.
 * Run from the app folder after `nx bundle`: `npx nx bench @saga/<app>` (or `npm run bench` for all).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const RUNS = 15;
const app = basename(process.cwd());
const bundle = resolve('dist/lambda/handler.mjs');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: Record<string, string> };
const usesStripe = Boolean(pkg.dependencies?.['stripe']);
const budget = usesStripe ? { kib: 250, ms: 40, kind: 'Stripe app' } : { kib: 320, ms: 65, kind: 'app with AWS SDK clients' };

// Configuration every handler reads at cold start (values are placeholders; nothing is called).
const env = {
  ...process.env,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  ORDERS_TABLE: 'orders',
  STOCK_TABLE: 'stock',
  RECEIPTS_TABLE: 'receipts',
  IDEMPOTENCY_TABLE: 'idempotency',
  EVENT_BUS_NAME: 'bus',
  STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe',
  CARRIER_API_URL: 'http://127.0.0.1:9',
  BEDROCK_MODEL_ID: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
};

const bytes = statSync(bundle).size;
const gzip = gzipSync(readFileSync(bundle), { level: 9 }).length;
const importTime = (file: string) =>
  `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
const timed = (file: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', importTime(file)], { env, encoding: 'utf8' }));

// Node's own share of the import: an ESM module importing just the built-ins the bundle imports
// (http, https, crypto, ...). Timed in turns with the bundle, so the VM's drift falls on both.
const builtins = [...new Set([...readFileSync(bundle, 'utf8').matchAll(/from\s*"(node:[a-z_/]+)"/g)].map((m) => m[1]!))].sort();
const floorDir = mkdtempSync(join(tmpdir(), 'lambda-bench-'));
const floorModule = join(floorDir, 'builtins.mjs');
writeFileSync(floorModule, builtins.map((b) => `import ${JSON.stringify(b)};`).join('\n'));
const times: number[] = [];
const floors: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    times.push(timed(bundle));
    floors.push(timed(floorModule));
  }
} finally {
  rmSync(floorDir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
floors.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
const floor = floors[Math.floor(RUNS / 2)]!;
const kib = bytes / 1024;
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
console.log(`${app} (${budget.kind}), node ${process.version}`);
console.log(`  bundle  ${kib.toFixed(1)} KiB (gzip ${(gzip / 1024).toFixed(1)} KiB)   budget ≤ ${budget.kib} KiB: ${verdict(kib <= budget.kib)}`);
console.log(`  cold import() median ${median.toFixed(1)} ms over ${RUNS} fresh processes (p90 ${times[Math.floor(RUNS * 0.9)]!.toFixed(1)} ms)   budget ≤ ${budget.ms} ms: ${verdict(median <= budget.ms)}`);
console.log(`    of which Node itself: ${floor.toFixed(1)} ms to import the bundle's ${builtins.length} built-in modules from an empty module (median, timed in turns with the bundle)`);
