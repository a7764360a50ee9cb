/**
 * The `bench` target of every app (nx.json targetDefaults): the size of the app's Lambda bundle and
 * the median cold `import()` time of it in fresh Node processes, against the budgets of issue #4.
 * Run from the app folder after `nx bundle`: `npx nx bench @saga/<app>` (or `npm run bench` for all).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
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
const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundle).href)}); process.stdout.write(String(performance.now() - t));`;
const times: number[] = [];
for (let i = 0; i < RUNS; i++) {
  times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' })));
}
times.sort((a, b) => a - b);
const median = times[Math.floor(RUNS / 2)]!;
const kib = bytes / 1024;
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');
console.log(`${app} (${budget.kind}), node ${process.version}`);
console.log(`  bundle  ${kib.toFixed(1)} KiB (gzip ${(gzip / 1024).toFixed(1)} KiB)   budget ≤ ${budget.kib} KiB: ${verdict(kib <= budget.kib)}`);
console.log(`  cold import() median ${median.toFixed(1)} ms over ${RUNS} fresh processes (p90 ${times[Math.floor(RUNS * 0.9)]!.toFixed(1)} ms)   budget ≤ ${budget.ms} ms: ${verdict(median <= budget.ms)}`);
