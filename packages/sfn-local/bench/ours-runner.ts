/**
 * Our side of engine.bench.ts: the same four measurements as peer-runner.mjs, against
 * `localStateMachine` (src/local-machine.ts) with the Lambda resolver users use
 * (`createLambdaResolver`, src/integrations/lambda.ts) and the mocks of mocks.mjs registered as
 * local Lambda functions.
 *
 * engine.bench.ts bundles this file with esbuild (bench/.out/ours-runner.mjs: ESM, platform node,
 * workspace packages taken from their TypeScript sources through the `@saga/source` condition;
 * jsonata is required by the engine on the first JSONata expression, so this JSONPath saga never
 * loads it) and runs the bundle on a plain `node`, so no TypeScript loader sits in the measured
 * process; `--ours=tsx` runs this file with `node --import tsx` instead.
 *
 *   node bench/.out/ours-runner.mjs <load|throughput|failure|rss> [--resolver=bare]
 *   (environment, for diagnostics: COLD_RUNS=1000, WARM_RUNS=5000, FAILURE_RUNS=101 executions; FAILURE_RUNS=0
 *   builds the machine and runs nothing, the baseline for counting the first execution)
 *
 * `--resolver=bare` (throughput only, a diagnostic): a minimal resolver instead of the Lambda
 * integration (function name → mock, thrown error → StatesError; no event copy, no output
 * round-trip), to tell the engine's own cost from the Lambda layer's.
 *
 * Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import type { JsonValue, StateMachineDefinition } from '@saga/asl';
import { StatesError } from '../src/errors.js';
import { createLambdaResolver, LambdaRegistry } from '../src/integrations/lambda.js';
import type { TaskResolver } from '../src/integrations/types.js';
import { localStateMachine } from '../src/local-machine.js';
import { createMocks, emit, gapsOf, peakRssMiB, rssMiB, stats, until, type Mocks } from './mocks.mjs';
import { FUNCTION_NAMES, orderInput, sagaDefinition } from './saga-definition.js';

const rssAfterImport = rssMiB();
const measurement = process.argv[2];
const definition = sagaDefinition as unknown as StateMachineDefinition;

const bare = process.argv.includes('--resolver=bare');

/** The least a resolver can do: function name → mock; a thrown error becomes a StatesError. */
function bareResolver(mocks: Mocks): TaskResolver {
  return (invocation) => {
    if (invocation.parsed.kind !== 'lambda-function') return undefined;
    const handler = mocks.handlers[invocation.parsed.functionName];
    if (!handler) return Promise.reject(new StatesError('Lambda.ResourceNotFoundException', invocation.parsed.functionArn));
    return handler(invocation.input).then(
      (out) => out as JsonValue,
      (e: Error) => Promise.reject(new StatesError(e.name, e.message)),
    );
  };
}

/** A machine whose Lambda functions are the mocks: what a user's test setup looks like. */
function machineWith(mocks: Mocks, def: StateMachineDefinition = structuredClone(definition)) {
  if (bare) return localStateMachine(def, { resolve: bareResolver(mocks), seed: 1 });
  const registry = new LambdaRegistry();
  for (const name of FUNCTION_NAMES) {
    const handler = mocks.handlers[name];
    if (!handler) throw new Error(`no mock for ${name}`);
    registry.register(name, handler);
  }
  return localStateMachine(def, { resolve: createLambdaResolver(registry), seed: 1 });
}

const base = { engine: '@saga/sfn-local', measurement, resolver: bare ? 'bare' : 'lambda', rssAfterImportMiB: rssAfterImport };
const receiptOf = (output: unknown) => (output as { receipt?: { receiptId?: string } } | undefined)?.receipt?.receiptId;

async function main() {
  if (measurement === 'load') {
    // What `localStateMachine(definition, …)` costs with validation (@saga/asl): a fresh copy each
    // time, so nothing can be cached by identity. The first call is in a cold process.
    const resolve = createLambdaResolver(new LambdaRegistry());
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const copy = structuredClone(definition);
      const t0 = performance.now();
      localStateMachine(copy, { resolve });
      times.push(performance.now() - t0);
    }
    emit({ ...base, firstMs: times[0], warm: stats(times.slice(1)) });
    return;
  }

  if (measurement === 'throughput') {
    const mocks = createMocks('happy');
    const machine = machineWith(mocks);
    const pass = async (from: number, count: number) => {
      const latencies: number[] = [];
      let failures = 0;
      let firstFailure: unknown;
      const t0 = performance.now();
      for (let i = from; i < from + count; i++) {
        const s = performance.now();
        const outcome = await machine.run(orderInput(i) as unknown as JsonValue);
        if (outcome.status !== 'SUCCEEDED' || !receiptOf(outcome.output)) {
          failures++;
          firstFailure ??= { status: outcome.status, ...('error' in outcome ? { error: outcome.error, cause: outcome.cause } : {}) };
        }
        latencies.push(performance.now() - s);
      }
      const wallMs = performance.now() - t0;
      return { executions: count, failures, firstFailure, wallMs, perSecond: (count / wallMs) * 1000, latencyMs: stats(latencies) };
    };
    const cold = await pass(0, Number(process.env.COLD_RUNS ?? 1_000));
    // WARM_RUNS=0 leaves the cold pass alone in the process (for instruction counts, see README).
    const warm = await pass(cold.executions, Number(process.env.WARM_RUNS ?? 5_000));
    emit({ ...base, cold, warm, calls: mocks.calls, peakRssMiB: peakRssMiB() });
    return;
  }

  if (measurement === 'failure') {
    // Virtual time: the 5 retries' backoff (up to 2+4+8+16+32 s) costs no wall time. The first run
    // is in a cold process (as the peer's single run); 100 more give the steady state.
    const RUNS = Number(process.env.FAILURE_RUNS ?? 101);
    if (RUNS === 0) {
      // The baseline for counting the first execution's instructions: the same process up to the run.
      machineWith(createMocks('permanent-failure'), definition);
      emit({ ...base, runs: 0 });
      return;
    }
    const walls: number[] = [];
    let first: Record<string, unknown> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const mocks = createMocks('permanent-failure');
      const machine = machineWith(mocks, definition);
      const t0 = performance.now();
      const outcome = await machine.run(orderInput(i) as unknown as JsonValue);
      walls.push(performance.now() - t0);
      if (i === 0) {
        const history = outcome.history;
        first = {
          outcome: { status: outcome.status, ...('error' in outcome ? { error: outcome.error } : {}) },
          calls: mocks.calls,
          retryGapsMs: gapsOf(mocks.log, 'BookShipment').clock,
          virtualElapsedMs: history.length > 1 ? history.at(-1)!.timestamp - history[0]!.timestamp : 0,
          historyEvents: history.length,
        };
      }
    }
    emit({ ...base, runs: RUNS, firstMs: walls[0], warm: stats(walls.slice(1)), ...first, clock: 'virtual' });
    return;
  }

  if (measurement === 'rss') {
    // 10,000 executions held in flight by a mock that awaits a gate (the Lambda handler's promise
    // stays pending), RSS sampled once all of them are waiting, then the gate opens.
    const N = 10_000;
    const mocks = createMocks('gated');
    const machine = machineWith(mocks);
    const rssBefore = rssMiB();
    const t0 = performance.now();
    // Outcomes are counted as they come and not kept (nor their histories): what is measured is
    // the engine holding executions, not the bench holding 10,000 results.
    let succeeded = 0;
    let settled = 0;
    for (let i = 0; i < N; i++) {
      void machine.start(orderInput(i) as unknown as JsonValue).done.then((o) => {
        settled++;
        if (o.status === 'SUCCEEDED' && receiptOf(o.output)) succeeded++;
      });
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
    return;
  }

  throw new Error(`unknown measurement ${measurement}; expected load | throughput | failure | rss`);
}

await main();
