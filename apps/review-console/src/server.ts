import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AwsClients } from './clients.js';
import type { ConsoleConfig } from './config.js';
import { buildOutcome, decide } from './decide.js';
import { loadExecutionView } from './execution-view.js';
import { readForm, redirect, send, sendHtml } from './http-io.js';
import type { ReviewSource } from './review-source.js';
import type { ReviewStore } from './review-store.js';
import { csrfValid, hostAllowed, sameOrigin, type Session, type Sessions } from './security.js';
import { SCRIPT, STYLES } from './ui/assets.js';
import { executionPage } from './ui/execution-page.js';
import type { SafeHtml } from './ui/html.js';
import { executionHref, layout } from './ui/layout.js';
import { listPage } from './ui/list-page.js';
import { messagePage } from './ui/message-page.js';
import { reviewPage } from './ui/review-page.js';

/**
 * The console's routes:
 * - `GET /` the open reviews; `GET /reviews/:id` one review and the decision form;
 * - `POST /reviews/:id/decision` SendTaskSuccess, then 303 to the execution's view;
 * - `GET /executions/:arn` where the execution went (only executions of the configured state
 *   machine or of a review the console received);
 * - `GET /console.css`, `/console.js`, `/healthz`.
 * Every answer carries the security headers; every POST needs the session cookie, its CSRF token
 * and a same-origin Origin/Referer; every request needs a Host that names the console.
 */
export interface ConsoleDeps {
  config: ConsoleConfig;
  clients: AwsClients;
  store: ReviewStore;
  source: Pick<ReviewSource, 'status'>;
  sessions: Sessions;
  /** The port the server listens on (for the Host check). */
  port(): number;
  log(line: string): void;
}

const LIST_REFRESH_SECONDS = 5;
const RUNNING_REFRESH_SECONDS = 2;
const REVIEW_PATH = /^\/reviews\/([A-Za-z0-9_-]{1,64})$/;
const DECISION_PATH = /^\/reviews\/([A-Za-z0-9_-]{1,64})\/decision$/;
const EXECUTION_PATH = /^\/executions\/([^/]{1,2048})$/;

export function createConsoleListener(deps: ConsoleDeps): RequestListener {
  return (req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(deps, req, res).catch((e: unknown) => {
      deps.log(`review-console: ${req.method} ${req.url} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      page(deps, res, 500, 'Something went wrong', messagePage('Something went wrong', 'The console could not answer; see its log.'));
    });
  };
}

async function handle(deps: ConsoleDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!hostAllowed(req.headers.host, deps.port(), deps.config.allowedHosts)) {
    req.resume();
    return send(res, 421, 'Unknown host\n', 'text/plain; charset=utf-8');
  }
  const path = new URL(req.url ?? '/', 'http://console.invalid').pathname;
  if (req.method === 'GET' || req.method === 'HEAD') return get(deps, req, res, path);
  if (req.method === 'POST') return post(deps, req, res, path);
  req.resume();
  return send(res, 405, 'Method not allowed\n', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD, POST' });
}

async function get(deps: ConsoleDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (path === '/console.css') return send(res, 200, STYLES, 'text/css; charset=utf-8');
  if (path === '/console.js') return send(res, 200, SCRIPT, 'text/javascript; charset=utf-8');
  if (path === '/healthz') return send(res, 200, JSON.stringify({ status: 'ok' }), 'application/json');
  if (path === '/favicon.ico') return send(res, 204, '', 'image/x-icon');

  const { session, setCookie } = deps.sessions.resolve(req.headers.cookie);
  const cookie: Record<string, string> = setCookie ? { 'Set-Cookie': setCookie } : {};
  if (path === '/') {
    const body = listPage(deps.store.list(), deps.store.recentlyClosed(), deps.source.status());
    return page(deps, res, 200, 'Reviews', body, { session, headers: cookie, refreshSeconds: LIST_REFRESH_SECONDS });
  }
  const review = REVIEW_PATH.exec(path);
  if (review) {
    const found = deps.store.get(review[1]!);
    if (!found) return page(deps, res, 404, 'Review not open', notOpen(), { session, headers: cookie });
    const status = await executionStatus(deps, found.request.executionArn);
    const body = reviewPage(found, { csrfToken: session.csrfToken, reviewer: deps.config.reviewer, executionStatus: status });
    return page(deps, res, 200, `Order ${found.request.orderId}`, body, { session, headers: cookie });
  }
  const execution = EXECUTION_PATH.exec(path);
  if (execution) {
    const arn = safeDecode(execution[1]!);
    if (arn === undefined || !executionAllowed(deps, arn)) {
      return page(deps, res, 404, 'Execution not found', messagePage('Execution not found', 'This console shows executions of its state machine only.'), { session, headers: cookie });
    }
    const result = await loadExecutionView(deps.clients.sfn, arn);
    if (!result.ok) {
      const status = result.reason === 'not-found' ? 404 : 502;
      return page(deps, res, status, 'Execution', messagePage('The execution cannot be shown', result.message), { session, headers: cookie });
    }
    const refresh = result.view.status === 'RUNNING' ? RUNNING_REFRESH_SECONDS : undefined;
    return page(deps, res, 200, 'Execution', executionPage(result.view), { session, headers: cookie, refreshSeconds: refresh });
  }
  return page(deps, res, 404, 'Not found', messagePage('Not found', 'There is nothing at this address.'), { session, headers: cookie });
}

async function post(deps: ConsoleDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const decision = DECISION_PATH.exec(path);
  if (!decision) {
    req.resume();
    return page(deps, res, 404, 'Not found', messagePage('Not found', 'There is nothing at this address.'));
  }
  if (!sameOrigin(req.headers)) {
    req.resume();
    return page(deps, res, 403, 'Refused', messagePage('Refused', 'Cross-origin requests are not accepted.'));
  }
  const session = deps.sessions.find(req.headers.cookie);
  const form = await readForm(req);
  if (!form.ok) return page(deps, res, form.status, 'Bad request', messagePage('Bad request', 'The form could not be read.'));
  if (!session || !csrfValid(session, form.fields['_csrf'])) {
    return page(deps, res, 403, 'Refused', messagePage('Refused', 'The form has expired or did not come from this console. Reload the review and decide again.'));
  }
  const review = deps.store.get(decision[1]!);
  if (!review) return page(deps, res, 404, 'Review not open', notOpen(), { session });
  const fields = { outcome: form.fields['outcome'], reviewer: form.fields['reviewer'], note: form.fields['note'] };
  const outcome = buildOutcome(fields);
  if (!outcome.ok) {
    const body = reviewPage(review, { csrfToken: session.csrfToken, reviewer: fields.reviewer ?? '', issues: outcome.issues, note: fields.note });
    return page(deps, res, 400, `Order ${review.request.orderId}`, body, { session });
  }
  const taken = deps.store.take(review.id);
  if (!taken) return page(deps, res, 409, 'Review not open', notOpen(), { session });
  const result = await decide({ ...deps.clients, queueUrl: deps.config.queueUrl, log: deps.log }, taken, outcome.outcome);
  switch (result.kind) {
    case 'sent':
      deps.store.close(taken, { kind: 'decided', outcome: result.outcome.outcome });
      session.flash = { kind: 'ok', title: `Decision sent: ${result.outcome.outcome}`, text: `Order ${taken.request.orderId}, by ${result.outcome.reviewer}.` };
      return redirect(res, executionHref(taken.request.executionArn));
    case 'task-closed':
      deps.store.close(taken, { kind: 'task-closed', error: result.error });
      session.flash = { kind: 'error', title: `The decision was not taken (${result.error})`, text: result.explanation };
      return redirect(res, executionHref(taken.request.executionArn));
    case 'failed': {
      deps.store.restore(taken);
      const body = reviewPage(taken, {
        csrfToken: session.csrfToken,
        reviewer: fields.reviewer ?? '',
        issues: [`Step Functions did not answer: ${result.message}. Nothing was decided; try again.`],
        note: fields.note,
      });
      return page(deps, res, 502, `Order ${taken.request.orderId}`, body, { session });
    }
  }
}

function page(
  deps: ConsoleDeps,
  res: ServerResponse,
  status: number,
  title: string,
  body: SafeHtml,
  options: { session?: Session | undefined; headers?: Record<string, string>; refreshSeconds?: number | undefined } = {},
): void {
  const flash = options.session?.flash;
  if (options.session) options.session.flash = undefined;
  sendHtml(res, status, layout({ title, queueUrl: deps.config.queueUrl, body, flash, refreshSeconds: options.refreshSeconds }), options.headers);
}

function notOpen(): SafeHtml {
  return messagePage('This review is not open', 'It was decided, or its task closed. The list shows the reviews still waiting.');
}

async function executionStatus(deps: ConsoleDeps, executionArn: string): Promise<string | undefined> {
  try {
    return (await deps.clients.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  } catch {
    return undefined;
  }
}

/** Executions of the configured state machine, or ones a review was about. */
export function executionAllowed(deps: Pick<ConsoleDeps, 'config' | 'store'>, executionArn: string): boolean {
  if (deps.store.knowsExecution(executionArn)) return true;
  const machine = deps.config.stateMachineArn;
  if (machine === undefined) return false;
  const prefix = machine.replace(/:stateMachine:/, ':execution:') + ':';
  return machine.includes(':stateMachine:') && executionArn.startsWith(prefix) && !executionArn.slice(prefix.length).includes(':');
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
