/**
 * Synth benchmark: runs `npm run synth` (both stacks, offline, no Terraform) as a child process and
 * prints its wall time and peak memory. Budget: < 5 s and < 400 MiB.
 *
 *   npx nx bench @saga/stack-fulfilment          # 3 runs
 *   node --import tsx bench/synth.bench.ts 5     # 5 runs (from stacks/fulfilment)
 *
 * Peak memory is the peak RSS of the largest process of the tree (`/usr/bin/time -f %M`, which
 * reports the maximum over the waited-for processes), or, without GNU time, the largest VmHWM
 * sampled from /proc for the child and its descendants. Uses the apps' bundles when they are all
 * built, otherwise fixture bundles of a realistic size (300 KB each) in a temp directory.
 * Writes to a temp CDKTF_OUTDIR, never to the repository's cdktf.out.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET = { wallSeconds: 5, peakMiB: 400 };
const FUNCTIONS = ['charge-payment', 'reserve-stock', 'book-shipment', 'emit-receipt', 'refund-payment', 'release-stock', 'analyze-error'];
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GNU_TIME = '/usr/bin/time';
const runs = Math.max(1, Number(process.argv[2] ?? 3) || 3);

interface Sample {
  wallSeconds: number;
  peakMiB: number;
}

function bundlesRoot(): { env: { SAGA_LAMBDA_BUNDLES_DIR?: string }; note: string } {
  const built = FUNCTIONS.every((fn) => existsSync(join(ROOT, 'apps', fn, 'dist', 'lambda', 'handler.mjs')));
  if (built) return { env: {}, note: 'the apps\' bundles (apps/*/dist/lambda)' };
  const dir = mkdtempSync(join(tmpdir(), 'saga-bench-bundles-'));
  let seed = 1;
  const text = (bytes: number) => {
    const words = ['const', 'await', 'return', 'function', 'export', 'import', 'async', 'order', 'payment', 'stock', 'shipment', '=>', '{', '}', ';'];
    let out = '';
    while (out.length < bytes) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      out += `${words[seed % words.length]}${seed % 7 === 0 ? '\n' : ' '}${(seed % 997).toString(36)} `;
    }
    return out;
  };
  for (const fn of FUNCTIONS) {
    mkdirSync(join(dir, fn));
    writeFileSync(join(dir, fn, 'handler.mjs'), `export const handler = async () => 0;\n/* ${text(300_000)} */\n`);
  }
  return { env: { SAGA_LAMBDA_BUNDLES_DIR: dir }, note: `fixture bundles of 300 KB (not all apps are bundled; ${dir})` };
}

/** The largest VmHWM (KiB) among `pid` and its descendants, from /proc. */
function treeHighWaterKiB(pid: number, seen: Map<number, number>): void {
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) seen.set(p, Math.max(seen.get(p) ?? 0, Number(hwm[1])));
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim();
        for (const child of children ? children.split(/\s+/) : []) visit(Number(child));
      }
    } catch {
      // the process ended between two reads
    }
  };
  visit(pid);
}

async function runOnce(env: NodeJS.ProcessEnv, useGnuTime: boolean): Promise<Sample> {
  const outdir = mkdtempSync(join(tmpdir(), 'saga-bench-out-'));
  const timeFile = join(outdir, 'time.txt');
  const command = useGnuTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, 'npm', 'run', '--silent', 'synth'] : ['npm', 'run', '--silent', 'synth'];
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: join(outdir, 'cdktf.out') }, stdio: ['ignore', 'inherit', 'inherit'] });
  const seen = new Map<number, number>();
  const sampler = useGnuTime ? undefined : setInterval(() => treeHighWaterKiB(child.pid!, seen), 10);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  if (sampler) clearInterval(sampler);
  if (code !== 0) throw new Error(`npm run synth exited with ${code}`);
  if (!existsSync(join(outdir, 'cdktf.out', 'stacks', 'dev', 'cdk.tf.json'))) throw new Error('synth wrote no dev stack');
  const peakKiB = useGnuTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)) : Math.max(0, ...seen.values());
  rmSync(outdir, { recursive: true, force: true });
  return { wallSeconds, peakMiB: peakKiB / 1024 };
}

const { env: bundleEnv, note } = bundlesRoot();
const useGnuTime = existsSync(GNU_TIME) && process.env['SAGA_BENCH_SAMPLER'] !== 'proc';
const env = { ...process.env, ...bundleEnv };
console.log(`npm run synth × ${runs} (dev + prod), bundles: ${note}`);
console.log(`peak memory from ${useGnuTime ? '/usr/bin/time -f %M (largest process)' : '/proc/<pid>/status VmHWM samples (largest process)'}`);

await runOnce(env, useGnuTime); // warm the file cache and the zip cache; not counted
const samples: Sample[] = [];
for (let i = 0; i < runs; i++) {
  const s = await runOnce(env, useGnuTime);
  samples.push(s);
  console.log(`  run ${i + 1}: ${s.wallSeconds.toFixed(2)} s, ${s.peakMiB.toFixed(0)} MiB`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const wall = median(samples.map((s) => s.wallSeconds));
const peak = Math.max(...samples.map((s) => s.peakMiB));
console.log(`synth: median ${wall.toFixed(2)} s (budget < ${BUDGET.wallSeconds} s), peak ${peak.toFixed(0)} MiB (budget < ${BUDGET.peakMiB} MiB)`);
if (bundleEnv.SAGA_LAMBDA_BUNDLES_DIR) rmSync(bundleEnv.SAGA_LAMBDA_BUNDLES_DIR, { recursive: true, force: true });
if (wall >= BUDGET.wallSeconds || peak >= BUDGET.peakMiB) {
  console.error('over budget');
  process.exitCode = 1;
}
