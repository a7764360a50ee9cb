import { runBatch, type BatchOptions } from './batch.js';
import { checkOrder, checkStock, readOrderLedger } from './ledger.js';
import type { LocalStack } from './local-stack.js';
import { planBatch, type FaultProfile } from './scenarios.js';
import type { BatchReport } from './summary.js';

export interface DemoOptions extends Pick<BatchOptions, 'concurrency' | 'onProgress'> {
  orders: number;
  seed: number;
  profile: FaultProfile;
  /** Order ids are `<prefix>-0001`, ... */
  prefix: string;
}

/** Plans a batch, runs it on the local stack, reads every order's ledger back and checks the invariants. */
export async function runDemo(stack: LocalStack, options: DemoOptions): Promise<BatchReport> {
  const t0 = performance.now();
  const planned = planBatch(options.orders, { seed: options.seed, profile: options.profile, prefix: options.prefix });
  const runs = await runBatch(stack, planned, {
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const ledgers = [];
  const violations = [];
  for (const run of runs) {
    const ledger = await readOrderLedger(stack, run.planned.order);
    ledgers.push(ledger);
    violations.push(...checkOrder(run, ledger));
  }
  const stock = await checkStock(stack);
  violations.push(...stock.violations);
  return { runs, ledgers, violations, stock: { reserved: stock.reserved, released: stock.released }, wallMs: performance.now() - t0 };
}
