// @ts-check
/**
 * Instruction counts of a cachegrind run, by what executed them: V8's optimizing compiler
 * (TurboFan), the builtins (inline caches, promises, the interpreter), JIT-compiled code
 * (Sparkplug and TurboFan output), the rest of V8, and everything else. A wall-clock figure of the
 * cold pass moves by ±15 % between runs on a 2-vCPU VM; these counts repeat to about 1 % when V8
 * compiles on the main thread (`--single-threaded`), so they show what a change does. See README.
 *
 *   WARM_RUNS=0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/tmp/cg.out \
 *     node --single-threaded bench/.out/ours-runner.mjs throughput
 *   node bench/instructions.mjs /tmp/cg.out [/tmp/cg-baseline.out]
 *
 * With a baseline (the same command with the cold pass cut to 0 executions: import and start-up),
 * the figures are the difference, i.e. the cold pass alone.
 */
import { readFileSync } from 'node:fs';

/** @param {string} file @returns {Map<string, number>} instructions by function name */
function load(file) {
  const byFunction = new Map();
  let fn = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) fn = line.slice(3);
    else if (fn && /^\d/.test(line)) {
      const ir = Number(line.split(' ')[1]);
      if (ir) byFunction.set(fn, (byFunction.get(fn) ?? 0) + ir);
    }
  }
  return byFunction;
}

const HASH_SEED = 'hash-seed set-up (random between runs)';

/** @param {string} fn */
function category(fn) {
  // V8 draws its string-hash secrets at start-up, testing random numbers for primality: a count
  // that differs between identical runs, kept apart so that it does not blur the others.
  if (fn.startsWith('detail::sprp') || fn.includes('HashSeed::')) return HASH_SEED;
  if (fn.startsWith('???') || fn.startsWith('0x')) return 'JIT code (Sparkplug, TurboFan output)';
  if (fn.includes('compiler::')) return 'TurboFan (optimizing compiler)';
  if (fn.startsWith('Builtins_')) return 'builtins (ICs, promises, interpreter)';
  if (/Scavenge|MarkCompact|Heap::|Sweeper|Evacuat/.test(fn)) return 'garbage collector';
  if (fn.includes('v8::')) return 'rest of V8 (runtime, parser, ...)';
  return 'other (libc, node, libuv)';
}

const [file, baseline] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/instructions.mjs <cachegrind.out> [baseline.out]');
  process.exit(2);
}
const totals = new Map();
const add = (/** @type {Map<string, number>} */ m, sign = 1) => {
  for (const [fn, ir] of m) totals.set(category(fn), (totals.get(category(fn)) ?? 0) + sign * ir);
};
add(load(file));
if (baseline) add(load(baseline), -1);
const seed = totals.get(HASH_SEED) ?? 0;
totals.delete(HASH_SEED);
const all = [...totals.values()].reduce((a, b) => a + b, 0);
for (const [name, ir] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${(ir / 1e6).toFixed(1).padStart(9)} M  ${((ir / all) * 100).toFixed(1).padStart(5)} %  ${name}`);
}
console.log(`${(all / 1e6).toFixed(1).padStart(9)} M          total${baseline ? ' (minus the baseline)' : ''}`);
console.log(`${(seed / 1e6).toFixed(1).padStart(9)} M          not counted: ${HASH_SEED}`);
