import { DeleteMessageCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseReviewRequest } from './review-request.js';
import type { ReviewStore } from './review-store.js';

/**
 * Polls the review queue (long polling) and keeps the store's reviews up to date. A message is
 * kept hidden from other consumers for the visibility timeout; when it shows up again the
 * review's receipt handle is refreshed. Messages that are not review requests are reported once
 * and left alone (a redrive policy moves them to a dead-letter queue); messages of reviews
 * already decided are deleted.
 */
export interface ReviewSourceOptions {
  sqs: SQSClient;
  store: ReviewStore;
  queueUrl: string;
  waitSeconds: number;
  visibilityTimeoutSeconds: number;
  /** Told about unreadable messages and polling errors (never bodies or tokens). */
  log(line: string): void;
}

export interface ReviewSourceStatus {
  /** The last polling error, cleared by the next successful poll. */
  lastError: string | undefined;
  lastPollAt: Date | undefined;
  /** Messages on the queue that are not review requests. */
  unreadable: number;
}

export interface ReviewSource {
  status(): ReviewSourceStatus;
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;

export function startReviewSource(options: ReviewSourceOptions): ReviewSource {
  const { sqs, store, log } = options;
  const controller = new AbortController();
  const unreadable = new Set<string>();
  const status: ReviewSourceStatus = { lastError: undefined, lastPollAt: undefined, unreadable: 0 };

  async function accept(message: Message): Promise<void> {
    const { MessageId: messageId, ReceiptHandle: receiptHandle, Body: body } = message;
    if (messageId === undefined || receiptHandle === undefined) return;
    if (store.isClosed(messageId)) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: receiptHandle })).catch(() => undefined);
      return;
    }
    const parsed = parseReviewRequest(body ?? '');
    if (!parsed.ok) {
      if (!unreadable.has(messageId)) {
        unreadable.add(messageId);
        status.unreadable = unreadable.size;
        log(`review-console: message ${messageId} is not a review request: ${parsed.issues.join('; ')}`);
      }
      return;
    }
    store.upsert({ messageId, receiptHandle }, parsed);
  }

  async function loop(): Promise<void> {
    let backoff = 0;
    while (!controller.signal.aborted) {
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: options.waitSeconds,
            VisibilityTimeout: options.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
          }),
          { abortSignal: controller.signal },
        );
        status.lastError = undefined;
        status.lastPollAt = new Date();
        backoff = 0;
        for (const message of out.Messages ?? []) await accept(message);
        // Without long polling, do not spin on an empty queue.
        if (options.waitSeconds === 0 && (out.Messages ?? []).length === 0) await sleep(1000, controller.signal);
      } catch (e) {
        if (controller.signal.aborted) break;
        status.lastError = `${e instanceof Error ? e.name : 'Error'}: ${e instanceof Error ? e.message : String(e)}`;
        log(`review-console: polling ${options.queueUrl} failed: ${status.lastError}`);
        backoff = Math.min(MAX_BACKOFF_MS, Math.max(1000, backoff * 2));
        await sleep(backoff, controller.signal);
      }
    }
  }

  const running = loop();
  return {
    status: () => ({ ...status }),
    async stop() {
      controller.abort();
      await running;
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
