import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReviewConsole, type ReviewConsole } from '../src/index.js';
import { ANALYSIS, QUEUE_URL, REGION, startSagaEngine, type SagaEngine } from './support/saga-engine.js';
import { csrfOf, eventually, webClient, type WebClient } from './support/web-client.js';

/**
 * The console against the local engine, end to end: the real saga pauses at WaitForHumanReview,
 * the console reads the review from the engine's SQS API, a reviewer decides over HTTP, and the
 * execution ends as the decision says.
 */

let engine: SagaEngine;
let reviewConsole: ReviewConsole;
let logs: string[];

beforeEach(async () => {
  engine = await startSagaEngine();
  logs = [];
  reviewConsole = await startReviewConsole({
    queueUrl: QUEUE_URL,
    sfnEndpoint: engine.local.endpoint,
    stateMachineArn: engine.stateMachineArn,
    port: 0,
    pollWaitSeconds: 1,
    reviewer: 'ada@example.com',
    log: (line) => logs.push(line),
  });
});

afterEach(async () => {
  await reviewConsole.close();
  await engine.close();
});

/** Starts an order and waits until the console lists its review; returns the review's page path. */
async function reviewFor(web: WebClient, orderId: string): Promise<{ executionArn: string; path: string }> {
  const executionArn = await engine.start(orderId);
  const path = await eventually(
    async () => new RegExp(`href="(/reviews/[A-Za-z0-9_-]+)">${orderId}<`).exec((await web.get('/')).text)?.[1],
    10_000,
    `the review of ${orderId} listed`,
  );
  return { executionArn, path };
}

async function queueCounts(): Promise<Record<string, string> | undefined> {
  const sqs = new SQSClient({ endpoint: engine.local.endpoint, region: REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const out = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return out.Attributes;
  } finally {
    sqs.destroy();
  }
}

describe('deciding a review through the console', () => {
  it.each([
    { outcome: 'retry', status: 'SUCCEEDED', error: undefined, ledger: ['charge', 'reserve', 'book', 'analyze', 'book', 'emit'] },
    { outcome: 'compensate', status: 'FAILED', error: 'OrderFulfillmentFailed', ledger: ['charge', 'reserve', 'book', 'analyze', 'refund', 'release'] },
    { outcome: 'fail', status: 'FAILED', error: 'OrderFulfillmentFailed', ledger: ['charge', 'reserve', 'book', 'analyze'] },
  ])('$outcome → the execution ends $status', async ({ outcome, status, error, ledger }) => {
    const web = webClient(reviewConsole.url);
    const orderId = `ord-${outcome}`;
    const { executionArn, path } = await reviewFor(web, orderId);
    if (outcome === 'retry') engine.fixCarrier();

    const page = await web.get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('BookShipment');
    expect(page.text).toContain('CarrierResponseInvalid');
    expect(page.text).toContain('carrier answered 200 with an HTML page');
    expect(page.text).toContain(ANALYSIS.likelyCause);
    expect(page.text).toContain('<span class="badge rules">rules</span>');
    const [token] = engine.local.service.callbacks.openTokens();
    expect(token).toBeDefined();
    expect(page.text).not.toContain(token);

    const decided = await web.post(`${path}/decision`, { _csrf: csrfOf(page.text), outcome, reviewer: 'ada@example.com', note: 'checked the carrier portal' });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toBe(`/executions/${encodeURIComponent(executionArn)}`);

    const end = await engine.finished(executionArn);
    expect(end.status).toBe(status);
    expect(end.error).toBe(error);
    expect([...engine.ledger].sort()).toEqual([...ledger].sort());

    const view = await web.get(decided.headers.get('location')!);
    expect(view.status).toBe(200);
    expect(view.text).toContain(`Decision sent: ${outcome}`);
    expect(view.text).toContain(`id="execution-status">${status}<`);
    expect(view.text).toContain('ChooseAfterReview');
    expect(view.text).toContain('<svg class="diagram"');

    const list = await web.get('/');
    expect(list.text).not.toContain(`>${orderId}</a>`);
    expect(list.text).toContain(`decided: ${outcome}`);
    await eventually(async () => (await queueCounts())?.['ApproximateNumberOfMessagesNotVisible'] === '0', 5_000, 'the message deleted');
    expect(await queueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
    // What the reviewer decided is the task's output, as ChooseAfterReview read it.
    const outputs = engine.local.service
      .history(executionArn)
      .flatMap((e) => (e.type === 'TaskSucceeded' && e.taskSucceededEventDetails.resourceType === 'sqs' ? [e.taskSucceededEventDetails.output ?? ''] : []));
    expect(outputs).toHaveLength(1);
    expect(JSON.parse(outputs[0]!)).toMatchObject({
      outcome,
      reviewer: 'ada@example.com',
      note: 'checked the carrier portal',
    });
  });

  it('a review that timed out before the decision: TaskTimedOut is shown, the review leaves the list, its message is deleted', async () => {
    const web = webClient(reviewConsole.url);
    const { executionArn, path } = await reviewFor(web, 'ord-late');
    const page = await web.get(path);
    // Nobody decides for an hour and a second: the review task times out and the saga compensates.
    engine.local.service.clockOf(executionArn)!.advance(3_601_000);
    expect(await engine.finished(executionArn)).toMatchObject({ status: 'FAILED', error: 'OrderFulfillmentFailed' });

    const decided = await web.post(`${path}/decision`, { _csrf: csrfOf(page.text), outcome: 'retry', reviewer: 'ada' });
    expect(decided.status).toBe(303);
    const view = await web.get(decided.headers.get('location')!);
    expect(view.text).toContain('The decision was not taken (TaskTimedOut)');
    expect(view.text).toContain('id="execution-status">FAILED<');
    expect((await web.get('/')).text).toContain('not taken: TaskTimedOut');
    expect((await web.get(path)).status).toBe(404);
    expect(await queueCounts()).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('refuses a decision without the session cookie and CSRF token, and keeps the review open', async () => {
    const web = webClient(reviewConsole.url);
    const { path } = await reviewFor(web, 'ord-csrf');
    const stranger = webClient(reviewConsole.url);
    const forged = await stranger.post(`${path}/decision`, { _csrf: 'guess', outcome: 'fail', reviewer: 'mallory' });
    expect(forged.status).toBe(403);
    const noToken = await web.post(`${path}/decision`, { outcome: 'fail', reviewer: 'mallory' });
    expect(noToken.status).toBe(403);
    expect((await web.get(path)).status).toBe(200);
    expect(engine.local.service.callbacks.openTokens()).toHaveLength(1);
  });
});
