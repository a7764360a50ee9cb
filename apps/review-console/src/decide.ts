import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { contractIssues, ReviewOutcomeSchema, type ReviewOutcome } from '@saga/contracts';
import type { Review } from './review-store.js';

/**
 * A reviewer's decision: SendTaskSuccess with a {@link ReviewOutcome} (ChooseAfterReview routes on
 * it), then the review message is deleted. A token Step Functions no longer accepts closes the
 * review too (its message is deleted): deciding again could never succeed.
 */

/** The SendTask* errors that mean the waiting task is gone for good. */
export const TASK_CLOSED_ERRORS = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const;
export type TaskClosedError = (typeof TASK_CLOSED_ERRORS)[number];

export type DecisionResult =
  | { kind: 'sent'; outcome: ReviewOutcome }
  | { kind: 'task-closed'; error: TaskClosedError; explanation: string }
  | { kind: 'failed'; message: string };

export interface DecideDeps {
  sfn: SFNClient;
  sqs: SQSClient;
  queueUrl: string;
  log(line: string): void;
}

/** The form's fields → a valid outcome, or what is wrong (paths and codes). */
export function buildOutcome(
  form: { outcome?: string; reviewer?: string; note?: string },
  now: Date = new Date(),
): { ok: true; outcome: ReviewOutcome } | { ok: false; issues: string[] } {
  const note = form.note?.trim();
  const parsed = ReviewOutcomeSchema.safeParse({
    outcome: form.outcome,
    reviewer: form.reviewer?.trim(),
    ...(note ? { note } : {}),
    decidedAt: now.toISOString(),
  });
  if (parsed.success) return { ok: true, outcome: parsed.data };
  return { ok: false, issues: contractIssues(parsed.error).map((i) => `${i.path}: ${i.code}${i.detail ? ` (${i.detail})` : ''}`) };
}

/** Which task-closed error an SDK error is, if any (by name: what the SDK's exception classes carry). */
export function classifySendTaskError(error: unknown): TaskClosedError | undefined {
  const name = error instanceof Error ? error.name : undefined;
  return TASK_CLOSED_ERRORS.find((n) => n === name);
}

/** What a reviewer is told when the token is no longer accepted. */
export function explainTaskClosed(error: TaskClosedError): string {
  switch (error) {
    case 'TaskTimedOut':
      return 'The review had already closed (it timed out, or someone decided first). Step Functions did not take this decision; the execution went on without it.';
    case 'TaskDoesNotExist':
      return 'Step Functions has no open task for this review (the execution ended or was stopped). The decision was not taken.';
    case 'InvalidToken':
      return 'Step Functions rejected the review\'s task token as invalid. The decision was not taken; the message has been removed.';
  }
}

export async function decide(deps: DecideDeps, review: Review, outcome: ReviewOutcome): Promise<DecisionResult> {
  let result: DecisionResult;
  try {
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: review.request.taskToken, output: JSON.stringify(outcome) }));
    result = { kind: 'sent', outcome };
  } catch (e) {
    const closed = classifySendTaskError(e);
    if (closed === undefined) {
      const message = `${e instanceof Error ? e.name : 'Error'}: ${e instanceof Error ? e.message : String(e)}`;
      // The token never leaves the server, not even inside an error message.
      return { kind: 'failed', message: message.replaceAll(review.request.taskToken, '[task token]') };
    }
    result = { kind: 'task-closed', error: closed, explanation: explainTaskClosed(closed) };
  }
  try {
    await deps.sqs.send(new DeleteMessageCommand({ QueueUrl: deps.queueUrl, ReceiptHandle: review.receiptHandle }));
  } catch (e) {
    // The review is closed in the store: if the message shows up again it is deleted then.
    deps.log(`review-console: deleting message ${review.messageId} failed: ${e instanceof Error ? e.name : String(e)}`);
  }
  return result;
}
