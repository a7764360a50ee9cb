import { parseArgs } from 'node:util';
import { explore } from './explore.js';
import { REPO_ROOT } from '../bundles.js';
import { faultKindsOf, formatKind } from './faults.js';
import { formatReport, formatRun } from './report.js';
import { formatSchedule, parseSchedule } from './schedule.js';
import { readWorkflowModel, SITE_NAMES, type SiteName } from './sites.js';
import { startVerifier } from './verifier.js';

/**
 * `npm run verify`: the fault-schedule explorer. Runs the fulfilment workflow of the synthesized
 * stack (`cdktf.out/stacks/dev`) on the local engine with the apps' real bundles, injecting faults at
 * every step and compensation: every schedule of up to `--depth` faults (reviewer decisions
 * included), then `--samples` random deeper ones. Prints the schedules explored, each broken rule
 * with its shortest schedule, and the time. Exit 0 only with no violation.
 */

const USAGE = `Usage: node --conditions=@saga/source --import tsx stacks/fulfilment/src/verify/main.ts [options]

  --depth D           every schedule with up to D faults (default 2)
  --samples N         N random schedules deeper than D (default 100)
  --sample-depth M    the most faults a sampled schedule has (default D + 2)
  --seed S            seed of the sampling and of the engine's retry jitter (default 1)
  --concurrency C     schedules in flight at once (default 12)
  --sites A,B         fault sites (default all: ${SITE_NAMES.join(', ')})
  --limit N           stop after N schedules
  --replay SCHEDULE   run one schedule and print its trace, e.g.
                      'BookShipment#1 unknown | review: retry'
  --strict            warnings (what the saga cannot undo by design) fail the run too
  --permanent-after-commit
                      also inject a compensate-class error (PaymentDeclined, OutOfStock, ...) on a
                      retry after the step did its work (breaks the handlers' contract: off by default)
  --list-faults       print each site's fault kinds and exit
  --help

Needs the synthesized stack and the bundles: npm run synth (npm start does it when sources changed).`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        depth: { type: 'string' },
        samples: { type: 'string' },
        'sample-depth': { type: 'string' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        sites: { type: 'string' },
        limit: { type: 'string' },
        replay: { type: 'string' },
        strict: { type: 'boolean' },
        'permanent-after-commit': { type: 'boolean' },
        'list-faults': { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
      throw new UsageError(`--${name} takes an integer from ${min} to ${max}, got '${raw}'`);
    return Number(raw);
  };
  let depth: number, samples: number, sampleDepth: number, seed: number, concurrency: number, limit: number | undefined;
  let sites: SiteName[] | undefined;
  try {
    depth = int('depth', values.depth, 2, 0, 6);
    samples = int('samples', values.samples, 100, 0, 1_000_000);
    sampleDepth = int('sample-depth', values['sample-depth'], depth + 2, depth, 12);
    seed = int('seed', values.seed, 1, 0, 2 ** 31 - 1);
    concurrency = int('concurrency', values.concurrency, 12, 1, 512);
    limit = values.limit === undefined ? undefined : int('limit', values.limit, 0, 1, 10_000_000);
    if (values.sites !== undefined) {
      sites = values.sites.split(',').map((s) => s.trim()) as SiteName[];
      const unknown = sites.filter((s) => !SITE_NAMES.includes(s));
      if (unknown.length) throw new UsageError(`--sites: unknown ${unknown.join(', ')} (sites: ${SITE_NAMES.join(', ')})`);
    }
    if (values.replay !== undefined) parseSchedule(values.replay);
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
    return 2;
  }

  if (values['list-faults']) {
    const model = readWorkflowModel(REPO_ROOT, 'dev');
    for (const site of SITE_NAMES) {
      const s = model.sites[site];
      console.log(`${site} (${s.states.join(', ')}; TimeoutSeconds ${Object.values(s.timeoutSeconds).join('/')}):`);
      console.log(`  ${faultKindsOf(s).map(formatKind).join(', ')}`);
    }
    return 0;
  }
  const verifier = await startVerifier({ seed });
  try {
    if (values.replay !== undefined) {
      const schedule = parseSchedule(values.replay);
      const run = await verifier.runner({ idPrefix: `replay-${Date.now().toString(36)}` }).run(schedule);
      console.log(`schedule ${formatSchedule(schedule)}\n${formatRun(run)}`);
      const violations = run.violations.filter((v) => v.severity === 'violation' || values.strict);
      for (const v of run.violations) console.log(`  ${v.severity === 'violation' ? '✗' : '!'} ${v.rule}: ${v.detail}`);
      if (run.violations.length === 0) console.log('  every invariant holds');
      return violations.length === 0 ? 0 : 1;
    }
    console.log(
      `exploring every schedule with up to ${depth} fault${depth === 1 ? '' : 's'}` +
        `${samples > 0 && sampleDepth > depth ? ` and ${samples} sampled with up to ${sampleDepth}` : ''}` +
        ` (seed ${seed}, ${concurrency} in flight) on ${verifier.stack.stateMachineArn}`,
    );
    const report = await explore(verifier.runner({ idPrefix: `v${Date.now().toString(36)}` }), {
      depth,
      samples,
      sampleDepth,
      seed,
      concurrency,
      ...(sites ? { sites } : {}),
      ...(limit !== undefined ? { limit } : {}),
      permanentAfterCommit: values['permanent-after-commit'] ?? false,
      onProgress: (p) =>
        console.log(
          `  ${p.explored} schedules, ${p.violations} with violations, ${(p.elapsedMs / 1000).toFixed(0)} s, heap ${(
            process.memoryUsage().heapUsed /
            2 ** 20
          ).toFixed(0)} MB`,
        ),
    });
    console.log(`\n${formatReport(report, { strict: values.strict ?? false })}`);
    const failed = report.violations.length > 0 || (values.strict === true && report.warnings.length > 0);
    return failed ? 1 : 0;
  } finally {
    await verifier.close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack ?? e.message : e);
      process.exit(1);
    },
  );
}
