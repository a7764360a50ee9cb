import { randomBytes } from 'node:crypto';
import type { ErrorInfo, ReviewOutcomeName, ReviewRequest } from '@saga/contracts';

/**
 * The open reviews, in memory, keyed by an opaque random id: the id is what pages and URLs carry;
 * the task token stays in here and is only ever sent to Step Functions.
 */
export interface Review {
  /** Opaque, random, URL-safe; unrelated to the message, the execution or the token. */
  readonly id: string;
  readonly messageId: string;
  /** The newest receipt handle (a message received again gets a new one). */
  receiptHandle: string;
  readonly request: ReviewRequest;
  /** Set when AnalyzeError itself failed: what the reviewer sees instead of an analysis. */
  readonly analysisError: ErrorInfo | undefined;
  readonly receivedAt: Date;
}

/** What happened to a review that left the list, for the "recently decided" list. */
export interface ClosedReview {
  readonly orderId: string;
  readonly executionArn: string;
  readonly closedAt: Date;
  readonly result: { kind: 'decided'; outcome: ReviewOutcomeName } | { kind: 'task-closed'; error: string };
}

export interface ReviewStore {
  /** Adds a review for a message, or refreshes the receipt handle of the one it already has. */
  upsert(message: { messageId: string; receiptHandle: string }, parsed: { request: ReviewRequest; analysisError: ErrorInfo | undefined }): Review;
  /** Open reviews, oldest request first. */
  list(): Review[];
  get(id: string): Review | undefined;
  /** Removes a review to decide on it (a second decision on it finds nothing). */
  take(id: string): Review | undefined;
  /** Puts back a review whose decision could not be sent. */
  restore(review: Review): void;
  /** Records that a review left the list; its message, if received again, is deleted, not listed. */
  close(review: Review, result: ClosedReview['result']): void;
  isClosed(messageId: string): boolean;
  /** Newest first. */
  recentlyClosed(): readonly ClosedReview[];
  /** Whether an execution is one a review (open or closed) was about. */
  knowsExecution(executionArn: string): boolean;
}

const MAX_CLOSED = 500;
const MAX_RECENT = 20;

export function createReviewStore(newId: () => string = () => randomBytes(16).toString('base64url')): ReviewStore {
  const byId = new Map<string, Review>();
  const idByMessage = new Map<string, string>();
  const closedMessages = new Set<string>();
  const executions = new Set<string>();
  const recent: ClosedReview[] = [];

  return {
    upsert(message, parsed) {
      const known = idByMessage.get(message.messageId);
      const existing = known === undefined ? undefined : byId.get(known);
      if (existing) {
        existing.receiptHandle = message.receiptHandle;
        return existing;
      }
      const review: Review = {
        id: newId(),
        messageId: message.messageId,
        receiptHandle: message.receiptHandle,
        request: parsed.request,
        analysisError: parsed.analysisError,
        receivedAt: new Date(),
      };
      byId.set(review.id, review);
      idByMessage.set(review.messageId, review.id);
      executions.add(review.request.executionArn);
      return review;
    },
    list: () => [...byId.values()].sort((a, b) => a.request.requestedAt.localeCompare(b.request.requestedAt)),
    get: (id) => byId.get(id),
    take(id) {
      const review = byId.get(id);
      if (review) byId.delete(id);
      return review;
    },
    restore(review) {
      if (!closedMessages.has(review.messageId)) byId.set(review.id, review);
    },
    close(review, result) {
      byId.delete(review.id);
      idByMessage.delete(review.messageId);
      closedMessages.add(review.messageId);
      if (closedMessages.size > MAX_CLOSED) closedMessages.delete(closedMessages.values().next().value!);
      recent.unshift({ orderId: review.request.orderId, executionArn: review.request.executionArn, closedAt: new Date(), result });
      recent.length = Math.min(recent.length, MAX_RECENT);
    },
    isClosed: (messageId) => closedMessages.has(messageId),
    recentlyClosed: () => recent,
    knowsExecution: (arn) => executions.has(arn),
  };
}
