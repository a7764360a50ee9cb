import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ReviewRequest } from '@saga/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { createReviewStore, type ReviewStore } from '../src/review-store.js';
import { createSessions } from '../src/security.js';
import { createConsoleListener } from '../src/server.js';
import { csrfOf, webClient } from './support/web-client.js';

/** The console's HTTP surface with mocked AWS clients: sessions, CSRF, origins, hosts, and where the token goes. */

const sfnMock = mockClient(SFNClient);
const sqsMock = mockClient(SQSClient);
const TOKEN = 'AQCEAAAAKgAAAAMAAAAAAAAAAsecret-task-token-0123456789';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:saga';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:saga:ord-1';

const request: ReviewRequest = {
  executionArn: EXECUTION,
  taskToken: TOKEN,
  orderId: 'ord-1',
  failedStep: 'BookShipment',
  errorInfo: { Error: 'CarrierResponseInvalid', Cause: '<script>alert("cause")</script>' },
  analysis: {
    source: 'bedrock',
    modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    category: 'dependency',
    retriable: false,
    likelyCause: 'The carrier <b>answered</b> oddly',
    remediation: ['Look at the carrier portal'],
    confidence: 0.6,
  },
  requestedAt: '2026-11-22T10:00:00.000Z',
};

let server: Server;
let base: string;
let store: ReviewStore;
let reviewId: string;

beforeAll(async () => {
  const config = resolveConfig({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/review', stateMachineArn: MACHINE, port: 0, reviewer: 'ada' });
  const clients = {
    sfn: new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    sqs: new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  };
  const status = () => ({ lastError: undefined, lastPollAt: new Date(), unreadable: 0 });
  let port = 0;
  server = createServer(
    createConsoleListener({
      config,
      clients,
      get store() {
        return store;
      },
      source: { status },
      sessions: createSessions({ secure: false }),
      port: () => port,
      log: () => undefined,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  store = createReviewStore();
  reviewId = store.upsert({ messageId: 'm-1', receiptHandle: 'rh-1' }, { request, analysisError: undefined }).id;
  sfnMock.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
  sqsMock.on(DeleteMessageCommand).resolves({});
});

afterEach(() => {
  sfnMock.reset();
  sqsMock.reset();
});

describe('pages', () => {
  it('GET / hands out the session cookie and carries the security headers', async () => {
    const res = await fetch(base + '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^rc_session=[A-Za-z0-9_-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const text = await res.text();
    expect(text).toContain(`href="/reviews/${reviewId}"`);
    expect(text).not.toMatch(/<script>(?!<\/script>)/);
    expect(text).toContain('<script src="/console.js" defer></script>');
  });

  it('the review id is opaque, and the task token is on no page', async () => {
    expect(reviewId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(reviewId).not.toContain('m-1');
    const web = webClient(base);
    for (const path of ['/', `/reviews/${reviewId}`]) {
      const page = await web.get(path);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(TOKEN);
      expect(page.text).not.toContain(TOKEN.slice(0, 24));
    }
  });

  it('escapes what the message carries (cause, analysis text)', async () => {
    const page = await webClient(base).get(`/reviews/${reviewId}`);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('&#60;script&#62;alert(&#34;cause&#34;)&#60;/script&#62;');
    expect(page.text).toContain('The carrier &#60;b&#62;answered&#60;/b&#62; oddly');
    expect(page.text).toContain('<span class="badge bedrock">bedrock</span>');
    expect(page.text).toContain('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('unknown reviews and executions of other state machines are 404', async () => {
    const web = webClient(base);
    expect((await web.get('/reviews/nope')).status).toBe(404);
    const other = 'arn:aws:states:us-east-1:123456789012:execution:other-machine:x';
    expect((await web.get(`/executions/${encodeURIComponent(other)}`)).status).toBe(404);
  });

  it('refuses a Host that does not name the console (DNS rebinding)', async () => {
    const { request: raw } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = raw(base + '/', { headers: { host: `evil.example:${new URL(base).port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});

describe('POST /reviews/:id/decision', () => {
  async function openForm() {
    const web = webClient(base);
    const page = await web.get(`/reviews/${reviewId}`);
    return { web, csrf: csrfOf(page.text) };
  }

  it('with the cookie, the CSRF token and a same-origin Origin: SendTaskSuccess, message deleted, 303 to the execution', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    const { web, csrf } = await openForm();
    const res = await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'retry', reviewer: 'ada', note: 'ok' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/executions/${encodeURIComponent(EXECUTION)}`);
    const sent = sfnMock.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input;
    expect(sent.taskToken).toBe(TOKEN);
    expect(JSON.parse(sent.output!)).toMatchObject({ outcome: 'retry', reviewer: 'ada', note: 'ok' });
    expect(sqsMock.commandCalls(DeleteMessageCommand)[0]!.args[0].input.ReceiptHandle).toBe('rh-1');
    expect(store.get(reviewId)).toBeUndefined();
    // A second submission of the same form finds nothing to decide.
    expect((await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'fail', reviewer: 'ada' })).status).toBe(404);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('TaskTimedOut: said clearly on the next page, the review leaves the list, its message is deleted', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    const { web, csrf } = await openForm();
    const res = await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'retry', reviewer: 'ada' });
    expect(res.status).toBe(303);
    const list = await web.get('/');
    expect(list.text).toContain('The decision was not taken (TaskTimedOut)');
    expect(list.text).toContain('not taken: TaskTimedOut');
    expect(list.text).not.toContain(`href="/reviews/${reviewId}"`);
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(1);
    // The flash is shown once.
    expect((await web.get('/')).text).not.toContain('The decision was not taken');
  });

  it.each([
    ['no session cookie', (csrf: string) => ({ fields: { _csrf: csrf }, headers: { cookie: '' } })],
    ['another session', (csrf: string) => ({ fields: { _csrf: csrf }, headers: { cookie: 'rc_session=forged' } })],
    ['no CSRF token', () => ({ fields: {}, headers: {} })],
    ['a wrong CSRF token', (csrf: string) => ({ fields: { _csrf: csrf.slice(1) + 'x' }, headers: {} })],
    ['a cross-origin Origin', (csrf: string) => ({ fields: { _csrf: csrf }, headers: { origin: 'http://evil.example' } })],
    ['no Origin and no Referer', (csrf: string) => ({ fields: { _csrf: csrf }, headers: { origin: '' } })],
    ['Sec-Fetch-Site: cross-site', (csrf: string) => ({ fields: { _csrf: csrf }, headers: { 'sec-fetch-site': 'cross-site' } })],
  ])('refuses %s (403), and decides nothing', async (_what, make) => {
    const { web, csrf } = await openForm();
    const { fields, headers } = make(csrf);
    const cleaned = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
    const dropped = Object.keys(headers).filter((k) => headers[k as keyof typeof headers] === '');
    const cookie = dropped.includes('cookie') ? undefined : web.cookie;
    const res = await fetch(`${base}/reviews/${reviewId}/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(dropped.includes('origin') ? {} : { origin: base }),
        ...(cookie ? { cookie } : {}),
        ...cleaned,
      },
      body: new URLSearchParams({ ...fields, outcome: 'fail', reviewer: 'mallory' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
    expect(store.get(reviewId)).toBeDefined();
  });

  it('refuses a body that is not a form (415) or too large (413)', async () => {
    const { web, csrf } = await openForm();
    const json = await fetch(`${base}/reviews/${reviewId}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, cookie: web.cookie! },
      body: JSON.stringify({ _csrf: csrf, outcome: 'fail', reviewer: 'x' }),
    });
    expect(json.status).toBe(415);
    const big = await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'fail', reviewer: 'x', note: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('an invalid outcome is shown on the form again (400), nothing sent', async () => {
    const { web, csrf } = await openForm();
    const res = await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'approve', reviewer: 'ada' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('outcome');
    expect(res.text).not.toContain(TOKEN);
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('an unexpected Step Functions error keeps the review open (502) and never shows the token', async () => {
    sfnMock.on(SendTaskSuccessCommand).rejects(new Error(`throttled while sending ${TOKEN}`));
    const { web, csrf } = await openForm();
    const res = await web.post(`/reviews/${reviewId}/decision`, { _csrf: csrf, outcome: 'retry', reviewer: 'ada' });
    expect(res.status).toBe(502);
    expect(res.text).toContain('Nothing was decided');
    expect(res.text).not.toContain(TOKEN);
    expect(store.get(reviewId)).toBeDefined();
    expect(sqsMock.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});
