import type { OrderRun } from './batch.js';
import type { OrderLedger, Violation } from './ledger.js';
import type { Outcome } from './scenarios.js';

/** The text the local run prints after a batch: a row per order, then the ledger and the invariants. */

export interface BatchReport {
  readonly runs: readonly OrderRun[];
  readonly ledgers: readonly OrderLedger[];
  readonly violations: readonly Violation[];
  readonly stock: { reserved: number; released: number };
  readonly wallMs: number;
}

const money = (minor: number) => `£${(minor / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}

/** States the summary leaves out of a path: the input check and the notifications every order passes. */
const QUIET_STATES = /^(Notify|CheckInput$)/;

export function formatReport(report: BatchReport, options: { maxRows?: number } = {}): string {
  const { runs, ledgers, violations } = report;
  const maxRows = options.maxRows ?? 60;
  const rows = [['order', 'scenario', 'outcome', 'retries', 'path']];
  for (const run of runs.slice(0, maxRows)) {
    const path = run.path.filter((s) => !QUIET_STATES.test(s));
    rows.push([run.planned.order.orderId, run.planned.scenario.name, run.outcome, String(run.retries), path.join(' → ')]);
  }
  const lines = [table(rows)];
  if (runs.length > maxRows) lines.push(`… and ${runs.length - maxRows} more orders`);

  const count = (o: Outcome | 'unexpected') => runs.filter((r) => r.outcome === o).length;
  const sum = (f: (l: OrderLedger) => number) => ledgers.reduce((s, l) => s + f(l), 0);
  const transitions = runs.reduce((s, r) => s + r.transitions, 0);
  const retries = runs.reduce((s, r) => s + r.retries, 0);
  lines.push(
    '',
    `outcomes     ${count('succeeded')} succeeded · ${count('compensated')} compensated · ${count('awaiting review')} awaiting review` +
      (count('unexpected') ? ` · ${count('unexpected')} UNEXPECTED` : ''),
    `payments     captured ${ledgers.filter((l) => l.captured > 0).length} orders (${money(sum((l) => l.captured))}) · ` +
      `refunded ${ledgers.filter((l) => l.refunded > 0).length} (${money(sum((l) => l.refunded))}) · ` +
      `net ${money(sum((l) => l.captured - l.refunded))}`,
    `stock        reserved ${report.stock.reserved} units held · ${report.stock.released} units released`,
    `shipments    ${sum((l) => l.shipments)} booked · receipts ${ledgers.filter((l) => l.receipt).length}`,
    `transitions  ${transitions} state transitions (${(transitions / Math.max(1, runs.length)).toFixed(1)} per order) · ${retries} retries`,
    `time         ${(report.wallMs / 1000).toFixed(1)} s for ${runs.length} orders`,
  );
  if (violations.length === 0) {
    lines.push(`invariants   all hold: ${runs.length} orders checked against their final status, stock conserved`);
  } else {
    lines.push(`invariants   ${violations.length} VIOLATED:`);
    for (const v of violations) lines.push(`  - ${v.orderId}: ${v.rule} (${v.detail})`);
  }
  return lines.join('\n');
}
