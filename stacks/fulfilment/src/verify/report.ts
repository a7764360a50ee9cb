import type { ExploreReport, RuleReport } from './explore.js';
import { formatFault } from './faults.js';
import type { ScheduleRun } from './runner.js';
import { formatSchedule } from './schedule.js';

/** The text the verifier prints: what was explored, each violated rule with its shortest schedule, the time. */

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatRun(run: ScheduleRun): string {
  const trace = run.trace
    .map((t) =>
      t.type === 'review'
        ? `review #${t.index + 1} (${t.failedStep}: ${t.error}) → ${t.choice ?? 'left waiting'}`
        : `${t.state} #${t.attempt}${t.fault ? ` [${formatFault(t.fault).replace(/^\S+ /, '')}]` : ''} → ${t.outcome}`,
    )
    .join('\n      ');
  return [
    `    order ${run.orderId}: ${run.waiting ? 'RUNNING, waiting for review' : `${run.status}${run.error ? ` ${run.error}` : ''}`}`,
    `    path  ${run.path.join(' → ')}`,
    `    trace ${trace}`,
  ].join('\n');
}

function formatRule(r: RuleReport): string {
  return [
    `  ✗ ${r.rule} — ${r.schedules} schedule${r.schedules === 1 ? '' : 's'}`,
    `    shortest: ${formatSchedule(r.shortest.run.schedule)}`,
    `    ${r.shortest.detail}`,
    formatRun(r.shortest.run),
  ].join('\n');
}

export function formatReport(report: ExploreReport, options: { strict?: boolean } = {}): string {
  const depths = Object.entries(report.byDepth)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([d, n]) => `${n} with ${d} fault${d === '1' ? '' : 's'}`)
    .join(' · ');
  const outcomes = Object.entries(report.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([o, n]) => `${n} ${o}`)
    .join(' · ');
  const lines = [
    `schedules   ${report.explored} explored${report.cutShort ? ' (cut short by --limit)' : ''}: ${depths}${
      report.sampled ? ` (${report.sampled} sampled deeper)` : ''
    }`,
    `outcomes    ${outcomes}`,
    `time        ${seconds(report.wallMs)} (${(report.explored / (report.wallMs / 1000)).toFixed(
      0,
    )} schedules/s; per schedule p50 ${report.p50Ms.toFixed(0)} ms, p95 ${report.p95Ms.toFixed(0)} ms; ${(
      report.busyMs / report.wallMs
    ).toFixed(1)} in flight on average)`,
    `            per schedule: seed stock ${report.phases.seedMs.toFixed(0)} ms, execution ${report.phases.executionMs.toFixed(
      0,
    )} ms, ledger + checks ${report.phases.checkMs.toFixed(0)} ms`,
  ];
  const failing = options.strict ? [...report.violations, ...report.warnings] : report.violations;
  if (failing.length === 0) lines.push(`violations  0`);
  else {
    lines.push(`violations  ${failing.length} rule${failing.length === 1 ? '' : 's'} broken:`);
    for (const r of failing) lines.push(formatRule(r));
  }
  if (!options.strict && report.warnings.length > 0) {
    lines.push(`warnings    ${report.warnings.length} (what the saga cannot undo by design; --strict fails on them):`);
    for (const r of report.warnings) lines.push(formatRule(r));
  }
  return lines.join('\n');
}
