/**
 * Build + validate + serialise a fulfilment-sized saga machine, many times; prints the median.
 * Budget (issue #2): under 5 ms per machine. Run: `npx nx bench @saga/asl`.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { validate } from '../src/index.js';
import { buildFulfilmentSaga } from '../examples/fulfilment-saga.js';

const WARMUP = 200;
const RUNS = 2_000;
const BUDGET_MS = 5;

function measure(label: string, runs: number, fn: () => unknown): { median: number; p95: number } {
  for (let i = 0; i < Math.min(WARMUP, runs); i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const p95 = times[Math.floor(times.length * 0.95)]!;
  console.log(`${label.padEnd(52)} median ${median.toFixed(3)} ms   p95 ${p95.toFixed(3)} ms   (${runs} runs)`);
  return { median, p95 };
}

const sample = buildFulfilmentSaga();
const json = sample.machine.serialize();
console.log(
  `fulfilment machine: ${Object.keys(sample.definition.States).length} top-level states, ${json.length.toLocaleString()} characters\n`,
);

const full = measure('build (saga) + validate + serialise', RUNS, () => buildFulfilmentSaga().machine.serialize());
measure('validate only (parsed object)', RUNS, () => validate(sample.definition));
measure('validate only (JSON string)', RUNS, () => validate(json));

const aslValidator = createRequire(import.meta.url)('asl-validator') as (d: unknown) => { isValid: boolean };
measure('for comparison: asl-validator 4 on the same machine', 50, () => aslValidator(JSON.parse(json)));

console.log(`\nbudget: median build + validate + serialise < ${BUDGET_MS} ms -> ${full.median < BUDGET_MS ? 'MET' : 'MISSED'} (${full.median.toFixed(3)} ms)`);
