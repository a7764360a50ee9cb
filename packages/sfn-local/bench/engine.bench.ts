/**
 * Our engine against aws-local-stepfunctions 3.0.0, same saga (bench/saga-definition.ts, also
 * bench/saga.json), same in-process mocks (bench/mocks.mjs), one run, one table.
 *
 *   npx nx bench @saga/sfn-local                      (node --import tsx bench/engine.bench.ts, cwd packages/sfn-local)
 *   npx nx bench @saga/sfn-local -- --skip-peer-sleep (skip the peer's 30–60 s real-time failure run)
 *
 * Options: --no-peer (ours only) · --skip-peer-sleep · --peer-timeout-ms=90000 · --ours=bundle|tsx
 *          --repeat=3 (processes per measurement; the median run is reported, the range shown; the
 *          peer's real-time failure run once)
 *          --profile (afterwards, ours' throughput run again under --cpu-prof: top functions, mapped to src/)
 *
 * How it runs:
 * - The peer needs Node >= 22, so it is installed on demand, never by `npm ci`:
 *   `npm install --prefix bench/.peer --no-save node@22.23.3 aws-local-stepfunctions@3.0.0` (git-ignored,
 *   ~190 MB, ~10 s once). If that fails, the reason is printed and ours is reported alone ("peer unavailable").
 * - Ours: bench/ours-runner.ts is bundled with esbuild into bench/.out/ours-runner.mjs (our sources and
 *   @saga/asl from their TypeScript sources, dependencies included) and run on a plain `node`: no TS loader in the
 *   measured process. `--ours=tsx` runs the .ts file through tsx instead.
 * - Ours runs on the system Node and, when the peer is installed, also on the peer's Node 22 (same
 *   runtime as the peer). A budget is MET only if it holds on every runtime ours ran on.
 * - Every measurement of every engine runs in its own child process (clean RSS, cold JIT), 3 times
 *   (--repeat) except the peer's real-time failure run; the run with the median headline figure is
 *   reported, with the range in brackets. The repetitions are interleaved (ours, ours on Node 22,
 *   the peer, then again), so the VM's drift falls on every engine alike. The 2-vCPU box is noisy
 *   (±30 %).
 *
 * Figures and the verdict rows:
 * 1. happy path, 1,000 sequential executions right after building the machine in a fresh process
 *    (cold, as the peer's ~4,000/s figure): ours/peer ≥ 3. The next 5,000 (warm) are shown too.
 * 2. permanent failure (BookShipment throws CarrierRateLimited every attempt; 5 retries; Catch →
 *    compensation → Fail): < 10 ms of wall time, checked on the first execution in a fresh process and
 *    on the mean of the next 100 (ours runs on a virtual clock). The peer really sleeps: ONE run,
 *    aborted after 90 s.
 * 3. definition load with validation: < 5 ms, checked on the median of 199 constructions (each on a
 *    fresh copy) and on the first construction in the process.
 * 4. 10,000 executions held in flight (a mock Lambda awaits a gate), then released: < 200 MiB, checked
 *    on the process peak (VmHWM, which includes the release) and on the RSS sampled while all wait.
 *
 * A bench reports; it exits 0 even when a budget is missed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sagaDefinition } from './saga-definition.js';

const PEER_NODE_VERSION = '22.23.3';
const PEER_PACKAGE = 'aws-local-stepfunctions';
const PEER_VERSION = '3.0.0';

const benchDir = dirname(fileURLToPath(import.meta.url));
const pkgRoot = dirname(benchDir);
const peerDir = join(benchDir, '.peer');
const outDir = join(benchDir, '.out');
const rel = (p: string) => relative(process.cwd(), p) || '.';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const noPeer = flag('no-peer');
const skipPeerSleep = flag('skip-peer-sleep');
const peerTimeoutMs = Number(option('peer-timeout-ms', '90000'));
const oursMode = option('ours', 'bundle');
const profile = flag('profile');
const repeat = Math.max(1, Number(option('repeat', '3')));

/** The figure a repeated measurement is ranked by (the median run is kept). */
const HEADLINE: Record<string, (r: Json) => number> = {
  throughput: (r) => r.cold?.perSecond ?? NaN,
  failure: (r) => r.firstMs ?? NaN,
  load: (r) => r.warm?.p50 ?? NaN,
  rss: (r) => r.peakRssMiB ?? NaN,
};

type Json = Record<string, any>;
interface Runner {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

// ---------------------------------------------------------------------------------------------
// Setup

/** bench/saga.json must be the JSON of bench/saga-definition.ts (the peer loads the JSON). */
function syncSagaJson(): void {
  const file = join(benchDir, 'saga.json');
  const json = `${JSON.stringify(sagaDefinition, null, 2)}\n`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current !== json) {
    writeFileSync(file, json);
    console.log(`saga: ${rel(file)} was out of date with saga-definition.ts; rewritten`);
  }
}

function versionOf(node: string): string | undefined {
  const r = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function peerInstalled(): { node: string; entry: string } | string {
  const node = join(peerDir, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  const pkgFile = join(peerDir, 'node_modules', PEER_PACKAGE, 'package.json');
  if (!existsSync(pkgFile)) return `${PEER_PACKAGE} not installed in ${rel(peerDir)}`;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string; exports: { import: string } };
  if (pkg.version !== PEER_VERSION) return `${PEER_PACKAGE}@${pkg.version} installed, want ${PEER_VERSION}`;
  if (!existsSync(node)) return `no node binary at ${rel(node)}`;
  const version = versionOf(node);
  if (version !== `v${PEER_NODE_VERSION}`) return `${rel(node)} --version gave ${version ?? 'an error'}, want v${PEER_NODE_VERSION}`;
  return { node, entry: join(peerDir, 'node_modules', PEER_PACKAGE, pkg.exports.import) };
}

/** Installs the peer into bench/.peer when missing; returns how to run it, or why it can't. */
function ensurePeer(): { node: string; entry: string } | { unavailable: string } {
  const found = peerInstalled();
  if (typeof found !== 'string') {
    console.log(`peer: using the cached install in ${rel(peerDir)} (node v${PEER_NODE_VERSION}, ${PEER_PACKAGE}@${PEER_VERSION})`);
    return found;
  }
  const npmArgs = [
    'install',
    '--prefix',
    peerDir,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `node@${PEER_NODE_VERSION}`,
    `${PEER_PACKAGE}@${PEER_VERSION}`,
  ];
  console.log(`peer: ${found}`);
  console.log(`peer: installing (once, ~190 MB, git-ignored): npm ${npmArgs.join(' ').replace(peerDir, rel(peerDir))}`);
  mkdirSync(peerDir, { recursive: true });
  const t0 = performance.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, npmArgs, { cwd: benchDir, encoding: 'utf8', timeout: 600_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.error || r.status !== 0) {
    const errors = output.split('\n').filter((l) => /npm (error|ERR!)/.test(l) && l.replace(/npm (error|ERR!)/, '').trim());
    const reason = r.error ? r.error.message : `npm exited with ${r.status}: ${(errors.length ? errors.slice(0, 4) : output.split('\n').slice(-6)).join(' | ')}`;
    return { unavailable: `install failed: ${reason}` };
  }
  const installed = peerInstalled();
  if (typeof installed === 'string') return { unavailable: `installed, but ${installed}` };
  console.log(`peer: installed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return installed;
}

/** Bundles bench/ours-runner.ts (our sources + @saga/asl sources + dependencies) for a plain node. */
async function buildOurs(): Promise<string> {
  const { build } = await import('esbuild');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'ours-runner.mjs');
  await build({
    entryPoints: [join(benchDir, 'ours-runner.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@saga/source'],
    sourcemap: 'linked',
    logLevel: 'silent',
    // Bundled CommonJS code may call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return outfile;
}

/**
 * Why a run's figures do not count (the saga did not do what it should), or undefined: a fast
 * engine that fails the saga must not read as a MET budget.
 */
function invalidRun(m: string, r: Json): string | undefined {
  if (r.error) return undefined;
  if (m === 'throughput' && (r.cold?.failures || r.warm?.failures)) {
    return `${r.cold.failures + r.warm.failures} executions did not succeed${r.cold.firstFailure ? `, e.g. ${JSON.stringify(r.cold.firstFailure)}` : ''}`;
  }
  if (m === 'rss' && r.succeeded !== undefined && r.succeeded !== r.inFlight) {
    return `${r.succeeded}/${r.inFlight} succeeded (all in flight: ${r.allInFlight}, gated ${r.gated})`;
  }
  if (m === 'failure' && r.outcome && !(r.outcome.status === 'FAILED' && r.outcome.error === 'OrderFulfillmentFailed')) {
    return `unexpected outcome ${JSON.stringify(r.outcome)}`;
  }
  if (m === 'failure' && r.calls && r.calls.BookShipment !== 6) return `BookShipment called ${r.calls.BookShipment} times, expected 6`;
  return undefined;
}

function lastLines(text: string, n: number): string {
  return text.split('\n').filter(Boolean).slice(-n).join(' | ');
}

/** Runs one measurement in a child process; the result is its last stdout line starting with `{`. */
function runChild(runner: Runner, measurement: string, extra: string[], timeoutMs: number): Promise<Json> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(runner.command, [...runner.args, measurement, ...extra], {
      cwd: pkgRoot,
      env: { ...process.env, ...runner.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .at(-1);
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      if (code === 0 && line) {
        try {
          resolve({ ...(JSON.parse(line) as Json), processSeconds: Number(seconds) });
          return;
        } catch {
          /* fall through */
        }
      }
      const why = signal ? `killed (${signal}) after ${seconds} s` : `exit ${code}`;
      resolve({ error: `${why}: ${lastLines(stderr || stdout, 6) || 'no output'}` });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Formatting

const fmt = (n: unknown, digits = 1) =>
  typeof n === 'number' && Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';
const ms = (n: unknown) =>
  typeof n !== 'number' || !Number.isFinite(n) ? '–' : n >= 1000 ? `${fmt(n / 1000, 1)} s` : `${fmt(n, n < 10 ? 2 : 1)} ms`;
const ratio = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' && a > 0 && b > 0 ? `${fmt(a / b, a / b < 10 ? 1 : 0)}×` : '–';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// --profile: where ours spends its time in the throughput measurement

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** Runs ours' throughput measurement under --cpu-prof and prints the top functions (self and inclusive). */
async function profileOurs(bundle: string, top = 25): Promise<void> {
  const dir = join(outDir, 'prof');
  rmSync(dir, { recursive: true, force: true });
  const res = await runChild(
    { label: 'ours (profiled)', command: process.execPath, args: ['--cpu-prof', `--cpu-prof-dir=${dir}`, bundle] },
    'throughput',
    [],
    180_000,
  );
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (res.error || !file) {
    console.log(`profile: failed (${res.error ?? 'no .cpuprofile written'})`);
    return;
  }
  const profileData = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const mapFile = `${bundle}.map`;
  const map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : undefined;
  const where = (n: ProfileNode): string => {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    if (!url) return name;
    if (map && url.endsWith('ours-runner.mjs')) {
      const e = map.findEntry(lineNumber, columnNumber) as { originalSource?: string; originalLine?: number };
      if (e.originalSource) return `${name}  ${relative(pkgRoot, fileURLToPath(new URL(e.originalSource, `file://${bundle}`)))}:${(e.originalLine ?? 0) + 1}`;
    }
    return `${name}  ${url.replace(/^node:/, 'node:').split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  };
  const byId = new Map(profileData.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profileData.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  let total = 0;
  profileData.samples.forEach((id, i) => {
    const dt = profileData.timeDeltas[i] ?? 0;
    selfById.set(id, (selfById.get(id) ?? 0) + dt);
    total += dt;
  });
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of selfById) {
    const k = where(byId.get(id)!);
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = where(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => k !== '(root)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `  ${fmt(t / 1000, 1).padStart(7)} ms ${fmt((100 * t) / total, 1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`\nprofile of ours, throughput measurement (${fmt(total / 1000, 0)} ms sampled; ${rel(join(dir, file))}):`);
  console.log(`self time:\n${list(self)}\ninclusive time:\n${list(inclusive)}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`engine bench: @saga/sfn-local vs ${PEER_PACKAGE}@${PEER_VERSION}, saga of bench/saga-definition.ts`);
  console.log(`machine: ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(1)} at start (figures shrink on a busy box)\n`);
  syncSagaJson();

  // Ours
  const oursRunners: Runner[] = [];
  let oursUnavailable: string | undefined;
  let oursEntry: { command: string; args: string[] } | undefined;
  let bundlePath: string | undefined;
  if (oursMode === 'tsx') {
    oursEntry = { command: process.execPath, args: ['--import', 'tsx', '--conditions=@saga/source', join(benchDir, 'ours-runner.ts')] };
    console.log('ours: bench/ours-runner.ts through tsx');
  } else {
    try {
      const t0 = performance.now();
      const bundle = await buildOurs();
      bundlePath = bundle;
      oursEntry = { command: process.execPath, args: [bundle] };
      console.log(`ours: bundled ${rel(bundle)} with esbuild in ${fmt(performance.now() - t0, 0)} ms`);
    } catch (e) {
      oursUnavailable = `esbuild bundle failed: ${lastLines(e instanceof Error ? e.message : String(e), 6)}`;
      console.log(`ours: ${oursUnavailable}`);
    }
  }
  const oursLabel = `ours (node ${process.version})`;
  if (oursEntry) oursRunners.push({ label: oursLabel, ...oursEntry });

  // Peer
  let peer: Runner | undefined;
  let peerUnavailable: string | undefined;
  if (noPeer) {
    peerUnavailable = 'skipped (--no-peer)';
  } else {
    const p = ensurePeer();
    if ('unavailable' in p) {
      peerUnavailable = p.unavailable;
      console.log(`peer unavailable: ${peerUnavailable}`);
    } else {
      peer = {
        label: `peer (node v${PEER_NODE_VERSION})`,
        command: p.node,
        args: [join(benchDir, 'peer-runner.mjs')],
        env: { AWS_LOCAL_STEPFUNCTIONS: p.entry },
      };
      // Ours on the peer's runtime as well: the like-for-like comparison.
      if (oursEntry && oursEntry.command === process.execPath && process.version !== `v${PEER_NODE_VERSION}`) {
        oursRunners.push({ label: `ours (node v${PEER_NODE_VERSION})`, command: p.node, args: oursEntry.args });
      }
    }
  }
  console.log('');

  const measurements = ['throughput', 'failure', 'load', 'rss'] as const;
  const results: Record<string, Record<string, Json>> = {};
  interface Job {
    /** Where the result goes: `results[measurement][runner.label]`. */
    measurement: string;
    runner: Runner;
    extra: string[];
    timeoutMs: number;
    reps: number;
    note: string;
  }
  /**
   * Runs the jobs' repetitions interleaved (every job's 1st run, then every job's 2nd, ...), each in
   * a fresh process, and keeps per job the run with the median headline figure. Interleaving spreads
   * the VM's drift (its speed moves by tens of percent over minutes) over ours and the peer alike,
   * instead of handing all of a slow spell to whichever ran then.
   */
  const measureInterleaved = async (m: string, jobs: Job[]) => {
    const runs = jobs.map(() => [] as Json[]);
    const rounds = Math.max(...jobs.map((j) => j.reps));
    for (let i = 0; i < rounds; i++) {
      for (const [k, job] of jobs.entries()) {
        if (i >= job.reps || runs[k]!.some((r) => r.error)) continue;
        process.stdout.write(`▸ ${m.padEnd(10)} ${job.runner.label}${job.note} (run ${i + 1}/${job.reps}) `);
        const res = await runChild(job.runner, m, job.extra, job.timeoutMs);
        console.log(res.error ? `✗ ${res.error}` : `${res.processSeconds} s`);
        runs[k]!.push(res);
      }
    }
    const key = HEADLINE[m]!;
    return jobs.map((job, k) => {
      const all = runs[k]!;
      const failed = all.find((r) => r.error);
      if (failed) return failed;
      const sorted = [...all].sort((a, b) => key(a) - key(b));
      return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, samples: all.map(key) };
    });
  };
  // The peak RSS moves by ±10 MiB from run to run (when V8 happens to start a major GC), so it is a
  // median of --repeat runs like the rest; only the peer's real-time failure run (30–60 s) runs once.
  const repsFor = (m: string, isPeer: boolean) => (isPeer && m === 'failure' ? 1 : repeat);

  for (const m of measurements) {
    results[m] = {};
    const jobs: Job[] = oursRunners.map((runner) => ({ measurement: m, runner, extra: [], timeoutMs: 180_000, reps: repsFor(m, false), note: '' }));
    if (m === 'throughput') {
      // Diagnostic: ours with a bare resolver instead of the Lambda integration.
      results['throughput-bare'] = {};
      for (const runner of oursRunners) {
        jobs.push({ measurement: 'throughput-bare', runner, extra: ['--resolver=bare'], timeoutMs: 180_000, reps: repeat, note: ', bare resolver' });
      }
    }
    if (peer) {
      if (m === 'failure' && skipPeerSleep) {
        results[m][peer.label] = { error: 'skipped (--skip-peer-sleep)' };
      } else {
        const note = m === 'failure' ? ` (really sleeps through 5 retries: 30–60 s, aborted after ${peerTimeoutMs / 1000} s)` : '';
        const extra = m === 'failure' ? ['--timeout-ms', String(peerTimeoutMs)] : [];
        jobs.push({ measurement: m, runner: peer, extra, timeoutMs: m === 'failure' ? peerTimeoutMs + 60_000 : 180_000, reps: repsFor(m, true), note });
      }
    }
    const measured = await measureInterleaved(m, jobs);
    for (const [k, job] of jobs.entries()) results[job.measurement]![job.runner.label] = measured[k]!;
  }

  // ---- the table
  const labels = oursRunners.length > 0 ? oursRunners.map((r) => r.label) : [oursLabel];
  const peerLabel = peer?.label;
  const peerCol = peerLabel ?? 'peer';
  const header = ['measurement', ...labels, peerCol, 'ours vs peer', 'budget', 'verdict'];
  const rows: string[][] = [header];
  const get = (m: string, label: string | undefined, pick: (r: Json) => unknown): unknown => {
    if (!label) return undefined;
    const r = results[m]?.[label];
    return r && !r.error ? pick(r) : undefined;
  };
  const peerCell = (m: string, show: (v: unknown) => string, pick: (r: Json) => unknown) => {
    if (!peerLabel) return 'unavailable';
    const r = results[m]?.[peerLabel];
    if (r?.error) return r.error.startsWith('skipped') ? 'skipped' : 'error';
    return show(pick(r ?? {}));
  };
  /** MET when `ok` holds for ours on every runtime; MISSED if it fails on any; n/a without data. */
  const verdict = (values: unknown[], ok: (v: number) => boolean) => {
    const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (nums.length === 0 || nums.length < values.length) return nums.length === 0 ? 'n/a' : 'MISSED (incomplete)';
    return nums.every(ok) ? 'MET' : 'MISSED';
  };
  const ratios = (oursVals: unknown[], peerVal: unknown, higherIsBetter: boolean) =>
    oursVals.map((v) => (higherIsBetter ? ratio(v, peerVal) : ratio(peerVal, v))).join(' / ');

  const row = (
    name: string,
    m: string,
    pick: (r: Json) => unknown,
    show: (v: unknown) => string,
    higherIsBetter: boolean,
    budget: string,
    ok: ((v: number, peerValue: number | undefined) => boolean) | undefined,
    peerMeasurement = m,
    withRange = false,
  ) => {
    const oursVals = labels.map((l) => get(m, l, pick));
    const peerVal = get(peerMeasurement, peerLabel, pick);
    const rangeOf = (r: Json | undefined) =>
      withRange && Array.isArray(r?.samples) && r.samples.length > 1
        ? ` [${show(Math.min(...r.samples)).replace(/[^\d.,]+$/, '')}–${show(Math.max(...r.samples))}]`
        : '';
    const cells = labels.map((l, i) => {
      const r = results[m]?.[l];
      return !r ? 'unavailable' : r.error ? 'error' : show(oursVals[i]) + rangeOf(r);
    });
    const peerRaw = peerLabel ? results[peerMeasurement]?.[peerLabel] : undefined;
    const needsPeer = budget.includes('peer');
    const broken = labels.some((l) => results[m]?.[l] && invalidRun(m, results[m]![l]!));
    const v = !ok
      ? ''
      : broken
        ? 'INVALID (see notes)'
        : needsPeer && typeof peerVal !== 'number'
        ? 'n/a (no peer)'
        : verdict(oursVals, (x) => ok(x, typeof peerVal === 'number' ? peerVal : undefined));
    const peerShown = peerCell(peerMeasurement, show, pick);
    rows.push([name, ...cells, peerRaw && !peerRaw.error ? peerShown + rangeOf(peerRaw) : peerShown, ratios(oursVals, peerVal, higherIsBetter), budget, v]);
  };
  const perSec = (v: unknown) => `${fmt(v, 0)}/s`;
  const mib = (v: unknown) => `${fmt(v, 0)} MiB`;

  row(
    '1. happy path, 1,000 sequential (cold)',
    'throughput',
    (r) => r.cold?.perSecond,
    perSec,
    true,
    '≥ 3× peer',
    (x, p) => (p === undefined ? false : x >= 3 * p),
    'throughput',
    true,
  );
  row('   next 5,000 sequential (warm)', 'throughput', (r) => r.warm?.perSecond, perSec, true, '', undefined);
  row('   ours with a bare resolver, cold 1,000', 'throughput-bare', (r) => r.cold?.perSecond, perSec, true, '', undefined, 'throughput');
  row('   p99 latency, cold 1,000', 'throughput', (r) => r.cold?.latencyMs?.p99, ms, false, '', undefined);
  row('2. permanent failure, 5 retries: 1st exec', 'failure', (r) => r.firstMs, ms, false, '< 10 ms', (x) => x < 10, 'failure', true);
  row('   mean of the next 100 (ours; warm)', 'failure', (r) => r.warm?.mean, ms, false, '< 10 ms', (x) => x < 10);
  row('   retry gaps (engine clock, ms)', 'failure', (r) => r.retryGapsMs, (v) => (Array.isArray(v) ? v.join('/') : '–'), false, '', undefined);
  row('   outcome', 'failure', (r) => r.outcome, (v) => {
    const o = v as Json | undefined;
    return o ? `${o.status}${o.error ? ` ${o.error}` : ''}` : '–';
  }, false, '', undefined);
  row('3. definition load + validation (median)', 'load', (r) => r.warm?.p50, ms, false, '< 5 ms', (x) => x < 5, 'load', true);
  row('   first construction in the process', 'load', (r) => r.firstMs, ms, false, '< 5 ms', (x) => x < 5);
  row('4. peak RSS, 10,000 in flight (VmHWM)', 'rss', (r) => r.peakRssMiB, mib, false, '< 200 MiB', (x) => x < 200);
  row('   RSS sampled while all 10,000 wait', 'rss', (r) => r.rssInFlightMiB, mib, false, '< 200 MiB', (x) => x < 200);
  row('   RSS after import', 'rss', (r) => r.rssAfterImportMiB, mib, false, '', undefined);
  row('   10,000 concurrent: start → all done', 'rss', (r) => r.perSecond, perSec, true, '', undefined);

  console.log(`\n${table(rows)}\n`);
  console.log(`machine: load average ${loadavg()[0]!.toFixed(1)} at the end, ${availableParallelism()} CPUs`);

  // Notes: anything that did not run as planned.
  const notes: string[] = [];
  for (const [m, byLabel] of Object.entries(results)) {
    for (const [label, r] of Object.entries(byLabel)) {
      const reason = invalidRun(m, r);
      if (reason) notes.push(`${m} / ${label}: INVALID, ${reason}`);
    }
  }
  if (oursUnavailable) notes.push(`ours unavailable: ${oursUnavailable}`);
  if (peerUnavailable) notes.push(`peer unavailable: ${peerUnavailable} (ratios need the peer)`);
  for (const [m, byLabel] of Object.entries(results)) {
    for (const [label, r] of Object.entries(byLabel)) {
      if (r.error) notes.push(`${m} / ${label}: ${r.error}`);
    }
  }
  if (peerLabel) {
    const virt = labels.map((l) => results.failure?.[l]?.virtualElapsedMs).filter((v) => typeof v === 'number');
    if (virt.length) notes.push(`ours' permanent-failure execution spans ${ms(virt[0])} of virtual time (history timestamps)`);
  }
  if (notes.length) console.log(notes.map((n) => `note: ${n}`).join('\n'));

  mkdirSync(outDir, { recursive: true });
  const jsonFile = join(outDir, 'results.json');
  writeFileSync(jsonFile, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
  if (profile) {
    if (bundlePath) await profileOurs(bundlePath);
    else console.log('profile: needs the esbuild bundle (not with --ours=tsx)');
  }
  console.log(`\nraw results: ${rel(jsonFile)} · a bench reports and exits 0 even when a budget is missed`);
}

await main().catch((e: unknown) => {
  console.error('engine bench crashed:', e);
});
process.exitCode = 0;
