import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReviewConsole, type ReviewConsole } from '../src/index.js';
import { QUEUE_URL, startSagaEngine, type SagaEngine } from './support/saga-engine.js';

/**
 * The console in Debian's Chromium (playwright-core drives it; no browser download): open the
 * list, open a review, click Retry, and see the execution's new status. Screenshots go to
 * test-output/ (gitignored). Needs /usr/bin/chromium (`apt-get install -y chromium`): skipped
 * without it on a developer machine, failing on CI.
 */

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUTPUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-output');
const available = existsSync(CHROMIUM);
if (!available && process.env['CI']) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);

describe.skipIf(!available)('the console in Chromium', () => {
  let engine: SagaEngine;
  let reviewConsole: ReviewConsole;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    engine = await startSagaEngine();
    reviewConsole = await startReviewConsole({
      queueUrl: QUEUE_URL,
      sfnEndpoint: engine.local.endpoint,
      stateMachineArn: engine.stateMachineArn,
      port: 0,
      pollWaitSeconds: 1,
      reviewer: 'ada@example.com',
      log: () => undefined,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await reviewConsole?.close();
    await engine?.close();
  });

  it('list → review → Retry → the execution SUCCEEDED, with the path drawn', async () => {
    const executionArn = await engine.start('ord-browser-1');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(reviewConsole.url + '/');
    const link = page.getByRole('link', { name: 'ord-browser-1' });
    for (let i = 0; i < 100 && (await link.count()) === 0; i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    await page.screenshot({ path: path.join(OUTPUT, 'review-list.png'), fullPage: true });
    await link.click();

    await expect.poll(() => page.locator('h1').textContent()).toContain('BookShipment failed');
    expect(await page.content()).not.toContain(engine.local.service.callbacks.openTokens()[0]!);
    await page.screenshot({ path: path.join(OUTPUT, 'review-detail.png'), fullPage: true });

    engine.fixCarrier();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL(`**/executions/${encodeURIComponent(executionArn)}`);
    expect(await page.getByRole('status').textContent()).toContain('Decision sent: retry');
    // The page refreshes itself while the execution runs.
    await expect.poll(() => page.locator('#execution-status').textContent(), { timeout: 15_000 }).toBe('SUCCEEDED');
    expect(await page.locator('svg.diagram .state.visited').count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(OUTPUT, 'execution-after-retry.png'), fullPage: true });
    expect((await engine.finished(executionArn)).status).toBe('SUCCEEDED');
    expect(problems).toEqual([]);
    await context.close();
  });
});
