// @ts-check
/**
 * The peer side of engine.bench.ts: aws-local-stepfunctions 3.0.0 on Node >= 22 (it needs
 * `Promise.withResolvers`), run as
 *
 *   bench/.peer/node_modules/.bin/node bench/peer-runner.mjs <load|throughput|failure|rss> [--timeout-ms N]
 *
 * with `AWS_LOCAL_STEPFUNCTIONS` pointing at the package's ESM entry (engine.bench.ts sets it to the
 * copy installed in bench/.peer). Each Task state is overridden (`taskResourceLocalHandlers`, keyed by
 * state name) with the mock of the function its Resource ARN names, from mocks.mjs: the same
 * mocks ours-runner.ts registers with our Lambda resolver. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMocks, emit, gapsOf, peakRssMiB, rssMiB, stats, until } from './mocks.mjs';

const entry = process.env.AWS_LOCAL_STEPFUNCTIONS;
if (!entry) throw new Error('set AWS_LOCAL_STEPFUNCTIONS to the ESM entry of aws-local-stepfunctions');
const rssAtStart = rssMiB();
const { StateMachine } = await import(entry);
const rssAfterImport = rssMiB();

const definition = JSON.parse(readFileSync(new URL('./saga.json', import.meta.url), 'utf8'));
const measurement = process.argv[2];
const timeoutArg = process.argv.indexOf('--timeout-ms');
const timeoutMs = timeoutArg > 0 ? Number(process.argv[timeoutArg + 1]) : 90_000;

/** @param {number} i */
const orderInput = (i) => ({
  orderId: `o-${i}`,
  total: 42.5,
  currency: 'EUR',
  customer: { id: `c-${i % 97}`, email: `customer${i % 97}@example.com` },
  items: [
    { sku: 'A-1', qty: 2, price: 12.5 },
    { sku: 'B-7', qty: 1, price: 17.5 },
  ],
});

/** Task state name → function name, for every Task (Parallel branches included). */
function taskFunctions(/** @type {any} */ def, /** @type {Record<string, string>} */ out = {}) {
  for (const [name, state] of Object.entries(def.States)) {
    const s = /** @type {any} */ (state);
    if (s.Type === 'Task') out[name] = String(s.Resource).split(':function:')[1].split(':')[0];
    for (const branch of s.Branches ?? []) taskFunctions(branch, out);
    if (s.ItemProcessor ?? s.Iterator) taskFunctions(s.ItemProcessor ?? s.Iterator, out);
  }
  return out;
}
const stateToFunction = taskFunctions(definition);

/** The run options for a set of mocks: every Task state runs its function's mock. */
function runOptions(/** @type {ReturnType<typeof createMocks>} */ mocks) {
  /** @type {Record<string, (input: any) => Promise<any>>} */
  const taskResourceLocalHandlers = {};
  for (const [state, fn] of Object.entries(stateToFunction)) {
    const handler = mocks.handlers[fn];
    if (!handler) throw new Error(`no mock for ${fn}`);
    taskResourceLocalHandlers[state] = (input) => handler(input);
  }
  return { overrides: { taskResourceLocalHandlers } };
}

// asl-validator mutates the definition it checks: every construction gets its own copy.
const build = () => new StateMachine(structuredClone(definition));

const base = { engine: 'aws-local-stepfunctions@3.0.0', measurement, rssAtStartMiB: rssAtStart, rssAfterImportMiB: rssAfterImport };

if (measurement === 'load') {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const copy = structuredClone(definition);
    const t0 = performance.now();
    new StateMachine(copy);
    times.push(performance.now() - t0);
  }
  emit({ ...base, firstMs: times[0], warm: stats(times.slice(1)) });
} else if (measurement === 'throughput') {
  const machine = build();
  const mocks = createMocks('happy');
  const options = runOptions(mocks);
  const pass = async (/** @type {number} */ from, /** @type {number} */ count) => {
    const latencies = [];
    let failures = 0;
    const t0 = performance.now();
    for (let i = from; i < from + count; i++) {
      const s = performance.now();
      try {
        const out = await machine.run(orderInput(i), options).result;
        if (!out?.receipt?.receiptId) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - s);
    }
    const wallMs = performance.now() - t0;
    return { executions: count, failures, wallMs, perSecond: (count / wallMs) * 1000, latencyMs: stats(latencies) };
  };
  const cold = await pass(0, 1_000);
  const warm = await pass(1_000, 5_000);
  emit({ ...base, cold, warm, calls: mocks.calls, peakRssMiB: peakRssMiB() });
} else if (measurement === 'failure') {
  // Real sleeps: run ONCE, and give up after `timeoutMs`.
  const machine = build();
  const mocks = createMocks('permanent-failure');
  const t0 = performance.now();
  const execution = machine.run(orderInput(0), { ...runOptions(mocks), noThrowOnAbort: true });
  const timer = setTimeout(() => execution.abort(), timeoutMs);
  /** @type {Record<string, unknown>} */
  let outcome;
  try {
    const out = await execution.result;
    outcome = out === null ? { status: 'ABORTED', reason: `timed out after ${timeoutMs} ms` } : { status: 'SUCCEEDED', output: out };
  } catch (e) {
    const err = /** @type {any} */ (e);
    outcome = { status: 'FAILED', error: err?.cause?.name ?? err?.name, message: String(err?.message ?? e) };
  }
  clearTimeout(timer);
  const wallMs = performance.now() - t0;
  emit({
    ...base,
    runs: 1,
    firstMs: wallMs,
    outcome,
    calls: mocks.calls,
    retryGapsMs: gapsOf(mocks.log, 'BookShipment').real,
    clock: 'real',
  });
} else if (measurement === 'rss') {
  const N = 10_000;
  const machine = build();
  const mocks = createMocks('gated');
  const options = runOptions(mocks);
  const rssBefore = rssMiB();
  const t0 = performance.now();
  // Outcomes are counted as they come and not kept: what is measured is the engine holding
  // executions, not the bench holding 10,000 results.
  let succeeded = 0;
  let settled = 0;
  for (let i = 0; i < N; i++) {
    machine.run(orderInput(i), options).result.then(
      (/** @type {any} */ out) => {
        settled++;
        if (out?.receipt?.receiptId) succeeded++;
      },
      () => settled++,
    );
  }
  const allInFlight = (await until(() => mocks.gated >= N || settled > 0, 120_000)) && mocks.gated >= N;
  const inFlightMs = performance.now() - t0;
  const rssInFlight = rssMiB();
  const peakInFlight = peakRssMiB();
  mocks.release();
  await until(() => settled >= N, 300_000);
  const wallMs = performance.now() - t0;
  emit({
    ...base,
    inFlight: N,
    allInFlight,
    gated: mocks.gated,
    inFlightMs,
    rssBeforeMiB: rssBefore,
    rssInFlightMiB: rssInFlight,
    peakInFlightMiB: peakInFlight,
    peakRssMiB: peakRssMiB(),
    succeeded,
    wallMs,
    perSecond: (N / wallMs) * 1000,
  });
} else {
  throw new Error(`unknown measurement ${measurement}; expected load | throughput | failure | rss`);
}
