import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { explore } from '../src/verify/explore.js';
import { startVerifier } from '../src/verify/verifier.js';

/**
 * Throughput of the fault-schedule explorer on this machine: the first N schedules of the
 * exhaustive depth-2 exploration (real bundles, DynamoDB Local), and where the time goes: start-up,
 * the phases of a schedule, the CPU of this process (engine, handlers, stand-ins, checks) and of the
 * DynamoDB Local JVM.
 *
 *   node --conditions=@saga/source --import tsx stacks/fulfilment/bench/verify.bench.ts [--schedules 2000] [--concurrency 12]
 */

const { values } = parseArgs({ options: { schedules: { type: 'string' }, concurrency: { type: 'string' } } });
const limit = Number(values.schedules ?? 2000);
const concurrency = Number(values.concurrency ?? 12);

/** CPU seconds (user + system) of a process, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function javaChild(): number | undefined {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.trim().endsWith('java'));
    return line ? Number(line.trim().split(/\s+/)[0]) : undefined;
  } catch {
    return undefined;
  }
}

const t0 = performance.now();
const verifier = await startVerifier();
const startupMs = performance.now() - t0;
const java = javaChild();
try {
  const cpu0 = process.cpuUsage();
  const java0 = java ? cpuSecondsOf(java) : NaN;
  const report = await explore(verifier.runner({ idPrefix: `bench${Date.now().toString(36)}` }), { depth: 2, limit, concurrency });
  const cpu = process.cpuUsage(cpu0);
  const nodeCpu = (cpu.user + cpu.system) / 1e6;
  const javaCpu = java ? cpuSecondsOf(java) - java0 : NaN;
  const wall = report.wallMs / 1000;
  const per = (s: number) => `${((s / report.explored) * 1000).toFixed(1)} ms`;
  console.log(
    `verify: ${report.explored} schedules in ${wall.toFixed(1)} s = ${(report.explored / wall).toFixed(
      1,
    )} schedules/s (concurrency ${concurrency}; start-up ${(startupMs / 1000).toFixed(1)} s before)`,
  );
  console.log(
    `  per schedule (real time, ${concurrency} in flight): p50 ${report.p50Ms.toFixed(0)} ms, p95 ${report.p95Ms.toFixed(
      0,
    )} ms; seed ${report.phases.seedMs.toFixed(0)} ms, execution ${report.phases.executionMs.toFixed(
      0,
    )} ms, ledger + checks ${report.phases.checkMs.toFixed(0)} ms`,
  );
  console.log(
    `  CPU: this process ${nodeCpu.toFixed(1)} s (${((nodeCpu / wall) * 100).toFixed(0)}% of one core, ${per(
      nodeCpu,
    )} per schedule); DynamoDB Local JVM ${javaCpu.toFixed(1)} s (${((javaCpu / wall) * 100).toFixed(0)}%, ${per(javaCpu)} per schedule)`,
  );
  console.log(`  violations: ${report.violations.map((v) => `${v.rule} (${v.schedules})`).join('; ') || 'none'}`);
} finally {
  await verifier.close();
}
