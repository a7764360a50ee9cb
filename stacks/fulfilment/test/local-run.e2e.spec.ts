import { DescribeExecutionCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/bundles.js';
import { reviewPending, runBatch } from '../src/local/batch.js';
import { runDemo } from '../src/local/demo.js';
import { checkOrder, checkStock, readOrderLedger } from '../src/local/ledger.js';
import { startLocalStack, type LocalStack } from '../src/local/local-stack.js';
import { planBatch } from '../src/local/scenarios.js';
import type { BatchReport } from '../src/local/summary.js';
import { synthesizedFile } from '../src/local/terraform.js';

/**
 * The whole product on one machine, end to end: the synthesized stack (cdktf.out, made by this
 * project's `synth` target before its tests) on the local engine with the real Lambda bundles and
 * stand-ins; a batch with every kind of fault; then a person in Chromium (Debian's, driven by
 * playwright-core) clicks Retry on one review and Compensate on another, and each execution's end
 * and the ledger are checked. A restart keeps the paused review. Screenshots: test-output/local-run/.
 */

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-output', 'local-run');
if (!existsSync(CHROMIUM) && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
if (!existsSync(synthesizedFile(REPO_ROOT, 'dev'))) throw new Error('cdktf.out is missing: run `npx nx run @saga/stack-fulfilment:synth`');

describe('npm start, end to end', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'saga-e2e-'));
  let stack: LocalStack;
  let report: BatchReport;
  let browser: Browser | undefined;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    stack = await startLocalStack({ dataDir, consolePort: 0, seed: 11 });
    // Seed 1 of the mixed profile: each scenario once among the first six, two reviews in twelve.
    report = await runDemo(stack, { orders: 12, seed: 1, profile: 'mixed', prefix: 'e2e' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the batch shows every outcome, and every invariant holds', () => {
    const outcomes = new Set(report.runs.map((r) => r.outcome));
    expect([...outcomes].sort()).toEqual(['awaiting review', 'compensated', 'succeeded']);
    expect(report.runs.some((r) => r.retries > 0)).toBe(true);
    expect(report.violations).toEqual([]);
  });

  it.skipIf(!existsSync(CHROMIUM))('a reviewer retries one order and compensates another in the console; the data follows', async () => {
    const reviews = report.runs.filter((r) => r.outcome === 'awaiting review');
    expect(reviews.length).toBeGreaterThanOrEqual(2);
    const [toRetry, toCompensate] = reviews as [(typeof reviews)[0], (typeof reviews)[0]];

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));

    await openReview(page, stack.consoleUrl!, toRetry.planned.order.orderId);
    await page.screenshot({ path: join(OUTPUT, 'review.png'), fullPage: true });
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('#execution-status').textContent(), { timeout: 30_000 }).toBe('SUCCEEDED');
    await page.screenshot({ path: join(OUTPUT, 'after-retry.png'), fullPage: true });

    await openReview(page, stack.consoleUrl!, toCompensate.planned.order.orderId);
    await page.getByRole('button', { name: 'Compensate' }).click();
    await expect.poll(() => page.locator('#execution-status').textContent(), { timeout: 30_000 }).toBe('FAILED');
    await page.screenshot({ path: join(OUTPUT, 'after-compensate.png'), fullPage: true });
    expect(problems).toEqual([]);

    const retried = await stack.sfn.send(new DescribeExecutionCommand({ executionArn: toRetry.executionArn }));
    const compensated = await stack.sfn.send(new DescribeExecutionCommand({ executionArn: toCompensate.executionArn }));
    expect(retried.status).toBe('SUCCEEDED');
    expect(compensated).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed' });

    // The ledger afterwards: the retried order is paid, reserved, shipped once and has its
    // receipt; the compensated one is refunded in full with its stock back.
    const paid = await readOrderLedger(stack, toRetry.planned.order);
    expect(paid).toMatchObject({ captured: paid.total, refunded: 0, reservation: 'reserved', receipt: true, shipments: 1 });
    const undone = await readOrderLedger(stack, toCompensate.planned.order);
    expect(undone).toMatchObject({ captured: undone.total, refunded: undone.total, reservation: 'released', receipt: false });
    expect((await checkStock(stack)).violations).toEqual([]);
  });

  it('a restart keeps an execution paused on a review: still queued, still RUNNING, and it can still be decided', async () => {
    const plan = planBatch(4, { seed: 2, profile: 'failures', prefix: 'e2e-restart' }).find((p) => p.scenario.name === 'carrier-malformed')!;
    const [paused] = await runBatch(stack, [plan]);
    expect(paused!.outcome).toBe('awaiting review');

    await stack.close();
    stack = await startLocalStack({ dataDir, consolePort: 0, seed: 11 });
    expect(reviewPending(stack, paused!.executionArn)).toBe(true);
    expect((await stack.sfn.send(new DescribeExecutionCommand({ executionArn: paused!.executionArn }))).status).toBe('RUNNING');

    // Decided after the restart with the token the queued review carries.
    const message = stack.outboxes.queue(stack.queueUrl).pending().find((m) => m.Body.includes(paused!.executionArn))!;
    const { taskToken } = JSON.parse(message.Body) as { taskToken: string };
    const decision = { outcome: 'compensate', reviewer: 'e2e', decidedAt: new Date().toISOString() };
    await stack.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
    await expect
      .poll(async () => (await stack.sfn.send(new DescribeExecutionCommand({ executionArn: paused!.executionArn }))).status, { timeout: 30_000 })
      .toBe('FAILED');
    const ledger = await readOrderLedger(stack, plan.order);
    expect(ledger).toMatchObject({ captured: ledger.total, refunded: ledger.total, reservation: 'released' });
    // What the first run decided is still there and still consistent.
    expect((await checkStock(stack)).violations).toEqual([]);
    for (const run of report.runs.filter((r) => r.outcome !== 'awaiting review')) {
      expect(checkOrder(run, await readOrderLedger(stack, run.planned.order))).toEqual([]);
    }
  });
});

/** Opens the console's list, waits for the order's review to be listed, opens it. */
async function openReview(page: Page, consoleUrl: string, orderId: string): Promise<void> {
  await page.goto(`${consoleUrl}/`);
  const link = page.getByRole('link', { name: orderId });
  for (let i = 0; i < 100 && (await link.count()) === 0; i++) {
    await page.waitForTimeout(100);
    await page.reload();
  }
  await link.click();
  await expect.poll(() => page.locator('h1').textContent()).toContain('failed');
}
