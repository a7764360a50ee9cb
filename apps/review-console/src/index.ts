import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClients } from './clients.js';
import { resolveConfig, type ReviewConsoleOptions } from './config.js';
import { startHeartbeats } from './heartbeats.js';
import { startReviewSource, type ReviewSource, type ReviewSourceStatus } from './review-source.js';
import { createReviewStore } from './review-store.js';
import { createSessions } from './security.js';
import { createConsoleListener } from './server.js';

/**
 * @saga/review-console: the human-review console of the order-fulfilment saga. It polls the
 * review queue, shows each paused execution's failure and analysis, sends the reviewer's
 * decision with SendTaskSuccess and shows where the execution went. The same code runs against
 * the local engine (sfn-local serves Step Functions and SQS) and against AWS.
 */

export interface ReviewConsole {
  /** `http://<host>:<port>`. */
  url: string;
  port: number;
  /** Stops polling and the server. */
  close(): Promise<void>;
}

export interface StartOptions extends ReviewConsoleOptions {
  /** Environment read for settings the options leave out. @default {} (pass process.env in a CLI) */
  env?: Readonly<Record<string, string | undefined>>;
  /** Polling errors and unreadable messages. @default console.error */
  log?(line: string): void;
}

export async function startReviewConsole(options: StartOptions): Promise<ReviewConsole> {
  const config = resolveConfig(options, options.env ?? {});
  const log = options.log ?? ((line: string) => console.error(line));
  const clients = createClients(config);
  const store = createReviewStore();
  const sessions = createSessions({ secure: config.secureCookies });
  let port = config.port;
  let source: ReviewSource | undefined;
  const status = (): ReviewSourceStatus => source?.status() ?? { lastError: undefined, lastPollAt: undefined, unreadable: 0 };
  const server = createServer(createConsoleListener({ config, clients, store, source: { status }, sessions, port: () => port, log }));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    clients.sfn.destroy();
    clients.sqs.destroy();
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  const heartbeats = startHeartbeats({
    sfn: clients.sfn,
    sqs: clients.sqs,
    store,
    queueUrl: config.queueUrl,
    everySeconds: config.heartbeatIntervalSeconds,
    log,
  });
  source = startReviewSource({
    sqs: clients.sqs,
    store,
    queueUrl: config.queueUrl,
    waitSeconds: config.pollWaitSeconds,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    log,
  });
  const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closed ??= (async () => {
        heartbeats.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await source?.stop();
        server.closeAllConnections();
        await stopped;
        clients.sfn.destroy();
        clients.sqs.destroy();
      })();
      return closed;
    },
  };
}

export { resolveConfig, ConfigError, DEFAULT_PORT, type ConsoleConfig, type Credentials, type ReviewConsoleOptions } from './config.js';
export { buildOutcome, classifySendTaskError, decide, explainTaskClosed, TASK_CLOSED_ERRORS, type DecisionResult, type TaskClosedError } from './decide.js';
export { loadExecutionView, type ExecutionView, type ExecutionViewResult } from './execution-view.js';
export { parseReviewRequest, type ParsedReviewRequest } from './review-request.js';
export { startHeartbeats, type Heartbeats, type HeartbeatOptions } from './heartbeats.js';
