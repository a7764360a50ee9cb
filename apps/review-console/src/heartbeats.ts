import { SendTaskHeartbeatCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { classifySendTaskError } from './decide.js';
import type { ReviewStore } from './review-store.js';

/**
 * Keeps the open reviews alive: WaitForHumanReview has HeartbeatSeconds (4 h in dev), shorter than
 * its TimeoutSeconds (24 h), so that a review nobody is looking at — no console running — times out
 * and compensates. While a console holds a review it sends SendTaskHeartbeat for it every
 * `everySeconds` (well under HeartbeatSeconds). A token Step Functions no longer accepts closes the
 * review (its message is deleted), as a decision would.
 */
export interface HeartbeatOptions {
  sfn: SFNClient;
  sqs: SQSClient;
  store: ReviewStore;
  queueUrl: string;
  everySeconds: number;
  log(line: string): void;
}

export interface Heartbeats {
  /** One round now (the timer calls it too); resolves when every open review has had its heartbeat. */
  beat(): Promise<void>;
  stop(): void;
}

export function startHeartbeats(options: HeartbeatOptions): Heartbeats {
  const { sfn, sqs, store, log } = options;
  let running: Promise<void> | undefined;

  const beatOne = async (review: ReturnType<ReviewStore['list']>[number]) => {
    try {
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: review.request.taskToken }));
    } catch (e) {
      const closed = classifySendTaskError(e);
      if (closed === undefined) {
        // A transient failure: the next round tries again (the token never appears in the log).
        log(`review-console: heartbeat for order ${review.request.orderId} failed: ${e instanceof Error ? e.name : 'Error'}`);
        return;
      }
      store.close(review, { kind: 'task-closed', error: closed });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: review.receiptHandle })).catch(() => undefined);
    }
  };

  const beat = () => {
    running ??= Promise.all(store.list().map(beatOne)).then(
      () => {
        running = undefined;
      },
      () => {
        running = undefined;
      },
    );
    return running;
  };

  const timer = setInterval(() => void beat(), options.everySeconds * 1000);
  timer.unref();
  return { beat, stop: () => clearInterval(timer) };
}
