import { seededRandom } from '@saga/sfn-local';
import type { Violation } from './checks.js';
import { dispositionOf } from '@saga/contracts';
import { faultKindsOf, mergesWith, span, type Fault, type FaultKind } from './faults.js';
import type { ScheduleRun, ScheduleRunner } from './runner.js';
import { compareSize, depthOf, EMPTY_SCHEDULE, REVIEW_CHOICES, scheduleKey, type ReviewChoice, type Schedule } from './schedule.js';
import type { SiteName } from './sites.js';

/**
 * The explorer: every schedule with up to `depth` faults, systematically, then `samples` random
 * deeper ones. A schedule's children are found from its own run: a new fault at any invocation the
 * run made after the schedule's last decision (each kind the site has), or, when the run stopped at
 * a review, each reviewer choice there. So every schedule is generated once (its parent is itself
 * without its last decision), every fault in it is met, and the reviewer's choice is part of the
 * schedule: a review reached with no decision left is the schedule "left waiting".
 */

export interface ExploreOptions {
  /** Every schedule with up to this many faults. @default 2 */
  readonly depth?: number;
  /** Random schedules deeper than `depth`. @default 0 */
  readonly samples?: number;
  /** The most faults a sampled schedule has. @default depth + 2 */
  readonly sampleDepth?: number;
  /** @default 1 */
  readonly seed?: number;
  /** Schedules in flight at once. @default 12 */
  readonly concurrency?: number;
  /** Fault sites (all by default). */
  readonly sites?: readonly SiteName[];
  /** Which fault kinds to use (all by default). */
  readonly kinds?: (site: SiteName, kind: FaultKind) => boolean;
  /**
   * Also inject a `compensate`-class error (PaymentDeclined, OutOfStock, CarrierRejected,
   * InvalidOrder) on an attempt after the step has already done its work for the order. The
   * taxonomy's contract is that such an error means the step did nothing (the saga then compensates
   * only the steps before it), and the handlers keep it by replaying a committed step; these
   * schedules break the handler's contract, not the saga's. @default false
   */
  readonly permanentAfterCommit?: boolean;
  /** Reviews one schedule may decide. @default 4 */
  readonly maxReviews?: number;
  /** Stop after this many schedules (the report says the exploration was cut short). */
  readonly limit?: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly explored: number;
  readonly queued: number;
  readonly violations: number;
  readonly elapsedMs: number;
}

/** Violations of one rule: how many schedules broke it, and the shortest that does. */
export interface RuleReport {
  readonly rule: string;
  readonly severity: Violation['severity'];
  readonly schedules: number;
  readonly shortest: { readonly run: ScheduleRun; readonly detail: string };
}

export interface ExploreReport {
  readonly explored: number;
  /** Per depth (faults): schedules run. */
  readonly byDepth: Readonly<Record<number, number>>;
  readonly sampled: number;
  readonly cutShort: boolean;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly violations: readonly RuleReport[];
  readonly warnings: readonly RuleReport[];
  readonly wallMs: number;
  /** Sum of the schedules' own real time (concurrency = busyMs / wallMs). */
  readonly busyMs: number;
  /** Real time per schedule: median and 95th percentile. */
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Mean real time per schedule in each phase. */
  readonly phases: { readonly seedMs: number; readonly executionMs: number; readonly checkMs: number };
}

export async function explore(runner: ScheduleRunner, options: ExploreOptions = {}): Promise<ExploreReport> {
  const t0 = performance.now();
  const depth = options.depth ?? 2;
  const sampleDepth = Math.max(options.sampleDepth ?? depth + 2, depth);
  const concurrency = Math.max(1, options.concurrency ?? 12);
  const maxReviews = options.maxReviews ?? 4;
  const limit = options.limit ?? Infinity;
  const model = runner.model;
  const sites = new Set(options.sites ?? (Object.keys(model.sites) as SiteName[]));
  const kindsOf = new Map([...sites].map((s) => [s, faultKindsOf(model.sites[s]).filter((k) => options.kinds?.(s, k) ?? true)] as const));

  const runs = new Map<string, ScheduleRun>();
  const inFlight = new Map<string, Promise<ScheduleRun>>();
  const byDepth: Record<number, number> = {};
  const outcomes: Record<string, number> = {};
  const groups = new Map<string, { severity: Violation['severity']; count: number; shortest: { run: ScheduleRun; detail: string } }>();
  const times: number[] = [];
  let busyMs = 0;
  const phases = { seedMs: 0, executionMs: 0, checkMs: 0 };
  let violationCount = 0;
  let cutShort = false;
  let sampled = 0;

  const record = (run: ScheduleRun) => {
    byDepth[depthOf(run.schedule)] = (byDepth[depthOf(run.schedule)] ?? 0) + 1;
    const outcome = run.waiting ? 'waiting for review' : `${run.status}${run.error ? ` ${run.error}` : ''}`;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    times.push(run.ms);
    busyMs += run.ms;
    phases.seedMs += run.phases.seedMs;
    phases.executionMs += run.phases.executionMs;
    phases.checkMs += run.phases.checkMs;
    const seen = new Set<string>();
    for (const v of run.violations) {
      if (seen.has(v.rule)) continue;
      seen.add(v.rule);
      if (v.severity === 'violation') violationCount++;
      const g = groups.get(v.rule);
      if (!g) groups.set(v.rule, { severity: v.severity, count: 1, shortest: { run, detail: v.detail } });
      else {
        g.count++;
        if (compareSize(run.schedule, g.shortest.run.schedule) < 0) g.shortest = { run, detail: v.detail };
      }
    }
  };

  /** Runs a schedule once (a second request for it gets the same run). */
  const runOnce = (schedule: Schedule): Promise<ScheduleRun> | ScheduleRun => {
    const key = scheduleKey(schedule);
    const done = runs.get(key);
    if (done) return done;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = runner.run(schedule).then((run) => {
        runs.set(key, run);
        inFlight.delete(key);
        record(run);
        return run;
      });
      inFlight.set(key, pending);
    }
    return pending;
  };

  const children = (run: ScheduleRun, maxDepth: number): { faults: Schedule[]; reviews: Schedule[] } => {
    const s = run.schedule;
    const reviews: Schedule[] = [];
    if (run.waiting && s.reviews.length < maxReviews) {
      for (const choice of REVIEW_CHOICES) reviews.push({ faults: s.faults, reviews: [...s.reviews, choice as ReviewChoice] });
    }
    const faults: Schedule[] = [];
    if (s.faults.length < maxDepth) {
      let last = -1;
      for (const item of run.trace) {
        if (item.type === 'review' && item.choice) last = item.seq;
        if (item.type === 'invocation' && item.fault && item.fault.attempt === item.attempt) last = item.seq;
      }
      const committed = new Set<SiteName>();
      for (const item of run.trace) {
        if (item.type !== 'invocation') continue;
        const done = committed.has(item.site);
        if (item.committed) committed.add(item.site);
        if (item.seq <= last || item.fault || !sites.has(item.site)) continue;
        const before = s.faults.filter((f) => f.site === item.site && f.attempt + span(f.kind) === item.attempt);
        for (const kind of kindsOf.get(item.site) ?? []) {
          const fault: Fault = { site: item.site, attempt: item.attempt, kind };
          if (before.some((b) => mergesWith(b, fault))) continue;
          if (done && !options.permanentAfterCommit && kind.type === 'permanent' && dispositionOf(kind.error) === 'compensate') continue;
          faults.push({ faults: [...s.faults, fault], reviews: s.reviews });
        }
      }
    }
    return { faults, reviews };
  };

  let lastProgress = 0;
  const progress = (queued: number) => {
    const now = performance.now();
    if (!options.onProgress || now - lastProgress < 1_000) return;
    lastProgress = now;
    options.onProgress({ explored: runs.size, queued, violations: violationCount, elapsedMs: now - t0 });
  };

  // ---- systematic: every schedule up to `depth` faults, breadth first, `concurrency` at a time
  const queue: Schedule[] = [EMPTY_SCHEDULE];
  const queued = new Set<string>([scheduleKey(EMPTY_SCHEDULE)]);
  let active = 0;
  await pool(concurrency, async () => {
    const s = queue.shift();
    if (!s) return active > 0 ? 'wait' : 'done';
    if (runs.size + inFlight.size >= limit) {
      cutShort = true;
      queue.length = 0;
      return active > 0 ? 'wait' : 'done';
    }
    active++;
    try {
      const run = await runOnce(s);
      const { faults, reviews } = children(run, depth);
      for (const c of [...reviews, ...faults]) {
        const key = scheduleKey(c);
        if (queued.has(key)) continue;
        queued.add(key);
        queue.push(c);
      }
    } finally {
      active--;
    }
    progress(queue.length);
    return 'more';
  });

  // ---- sampled: random walks to deeper schedules, from the root through the runs already made
  const samples = options.samples ?? 0;
  if (samples > 0 && sampleDepth > depth && !cutShort) {
    let started = 0;
    await pool(concurrency, async () => {
      if (started >= samples) return 'done';
      if (runs.size + inFlight.size >= limit) {
        cutShort = true;
        return 'done';
      }
      // Each walk has its own generator: the same seed gives the same walks, whatever finishes first.
      const random = seededRandom(((options.seed ?? 1) * 1_000_003 + started++) >>> 0);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const target = depth + 1 + Math.floor(random() * (sampleDepth - depth));
      let run = await runOnce(EMPTY_SCHEDULE);
      for (let steps = 0; steps < 4 * target + 2 * maxReviews; steps++) {
        const { faults, reviews } = children(run, target);
        let next: Schedule | undefined;
        if (reviews.length > 0 && (faults.length === 0 || depthOf(run.schedule) >= target || random() < 0.5)) next = pick(reviews);
        else if (faults.length > 0 && depthOf(run.schedule) < target) next = pick(faults);
        if (!next) break;
        const fresh = !runs.has(scheduleKey(next)) && !inFlight.has(scheduleKey(next));
        run = await runOnce(next);
        if (fresh && depthOf(next) > depth) sampled++;
      }
      progress(samples - started);
      return 'more';
    });
  }

  // ---- shrink: the shortest schedule of each broken rule, made shorter while it still breaks the rule
  let shrinkRuns = 0;
  for (const [rule, g] of groups) {
    for (let improved = true; improved && shrinkRuns < 400; ) {
      improved = false;
      for (const candidate of shrinkCandidates(g.shortest.run.schedule)) {
        if (shrinkRuns >= 400) break;
        const known = runs.has(scheduleKey(candidate));
        const run = await runOnce(candidate);
        if (!known) shrinkRuns++;
        const effective = effectiveSchedule(run);
        const v = run.violations.find((x) => x.rule === rule);
        if (v && compareSize(effective, g.shortest.run.schedule) < 0) {
          g.shortest = { run: { ...run, schedule: effective }, detail: v.detail };
          improved = true;
          break;
        }
      }
    }
  }

  const sorted = times.sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const report = (severity: Violation['severity']): RuleReport[] =>
    [...groups]
      .filter(([, g]) => g.severity === severity)
      .map(([rule, g]) => ({ rule, severity, schedules: g.count, shortest: g.shortest }))
      .sort((a, b) => compareSize(a.shortest.run.schedule, b.shortest.run.schedule));
  return {
    explored: runs.size,
    byDepth,
    sampled,
    cutShort,
    outcomes,
    violations: report('violation'),
    warnings: report('warning'),
    wallMs: performance.now() - t0,
    busyMs,
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    phases: {
      seedMs: phases.seedMs / Math.max(1, times.length),
      executionMs: phases.executionMs / Math.max(1, times.length),
      checkMs: phases.checkMs / Math.max(1, times.length),
    },
  };
}

/**
 * Smaller schedules to try: one fault fewer (the later faults of its site kept at their attempt, or
 * moved up by the attempts it took), every review decision kept; or the last review decision fewer.
 */
function shrinkCandidates(s: Schedule): Schedule[] {
  const out: Schedule[] = [];
  for (let i = 0; i < s.faults.length; i++) {
    const dropped = s.faults[i]!;
    const rest = s.faults.filter((_, j) => j !== i);
    out.push({ faults: rest, reviews: s.reviews });
    const shifted = rest.map((f) =>
      f.site === dropped.site && f.attempt > dropped.attempt ? { ...f, attempt: f.attempt - span(dropped.kind) } : f,
    );
    if (shifted.some((f, j) => f !== rest[j])) out.push({ faults: shifted, reviews: s.reviews });
  }
  if (s.reviews.length > 0) out.push({ faults: s.faults, reviews: s.reviews.slice(0, -1) });
  return out;
}

/** What a run really used of its schedule: the faults it met and the review decisions it took. */
export function effectiveSchedule(run: ScheduleRun): Schedule {
  const met = new Set<Fault>();
  const reviews: ReviewChoice[] = [];
  for (const t of run.trace) {
    if (t.type === 'invocation' && t.fault) met.add(t.fault);
    if (t.type === 'review' && t.choice) reviews.push(t.choice);
  }
  return { faults: run.schedule.faults.filter((f) => met.has(f)), reviews };
}

/**
 * Runs `step` on `width` workers until every worker gets 'done'. A worker that gets 'wait' (nothing
 * queued, but work in flight may queue more) waits for the next step to finish.
 */
async function pool(width: number, step: () => Promise<'more' | 'wait' | 'done'>): Promise<void> {
  let wake: (() => void) | undefined;
  let woken = new Promise<void>((r) => (wake = r));
  const notify = () => {
    const w = wake;
    woken = new Promise<void>((r) => (wake = r));
    w?.();
  };
  let failure: unknown;
  const worker = async () => {
    for (;;) {
      if (failure !== undefined) return;
      let r: 'more' | 'wait' | 'done';
      try {
        r = await step();
      } catch (e) {
        failure ??= e;
        notify();
        return;
      }
      if (r === 'done') {
        notify();
        return;
      }
      if (r === 'wait') await woken;
      else notify();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failure !== undefined) throw failure;
}
