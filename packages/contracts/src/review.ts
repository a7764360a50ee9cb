import * as z from 'zod/mini';
import { ErrorAnalysisSchema } from './analysis.js';
import { ErrorInfoSchema, type ErrorInfo } from './error-info.js';
import { OrderIdSchema } from './order.js';
import { FailedStepSchema } from './saga-steps.js';
import { multiLineText, singleLineText, timestamp } from './text.js';

/** What a reviewer can decide; ChooseAfterReview branches on it. */
export const ReviewOutcomes = {
  /** Run the failed step again. */
  Retry: 'retry',
  /** Undo the committed steps, then fail the order. */
  Compensate: 'compensate',
  /** Fail the order without compensating (a person has handled it outside the saga). */
  Fail: 'fail',
} as const;

export const ReviewOutcomeNameSchema = z.enum(ReviewOutcomes);
export type ReviewOutcomeName = z.infer<typeof ReviewOutcomeNameSchema>;

const reviewFields = {
  /** `$$.Execution.Id`, the execution ARN. */
  executionArn: z.string().check(z.minLength(1), z.maxLength(2_048)),
  /** `$$.Task.Token`. */
  taskToken: z.string().check(z.minLength(1), z.maxLength(2_048)),
  orderId: OrderIdSchema,
  failedStep: FailedStepSchema,
  errorInfo: ErrorInfoSchema,
  /** `$$.State.EnteredTime`. */
  requestedAt: timestamp(),
};

/**
 * A review request with the analysis flattened: what a console works with. The queue carries a
 * {@link ReviewMessage}; {@link reviewRequestFromMessage} turns one into the other.
 */
export const ReviewRequestSchema = z.object({
  ...reviewFields,
  /** Absent when AnalyzeError itself failed. */
  analysis: z.optional(ErrorAnalysisSchema),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

/**
 * `analysis` as WaitForHumanReview sends it: AnalyzeError's result as the saga keeps it at
 * `$.analysis` (the Lambda's `{Payload}`), or the `{Error, Cause}` its Catch wrote when the analysis
 * itself failed (the review goes ahead without one).
 */
export const ReviewMessageAnalysisSchema = z.union([z.object({ Payload: ErrorAnalysisSchema }), ErrorInfoSchema]);

/**
 * The SQS message body WaitForHumanReview sends (`sqs:sendMessage.waitForTaskToken`), exactly as
 * on the wire. The console lists these and answers with SendTaskSuccess(taskToken, {@link ReviewOutcome}).
 */
export const ReviewMessageSchema = z.object({
  ...reviewFields,
  analysis: z.optional(ReviewMessageAnalysisSchema),
});
export type ReviewMessage = z.infer<typeof ReviewMessageSchema>;

/** The flat request of a queued message, and the analyser's own failure when there was one. */
export function reviewRequestFromMessage(message: ReviewMessage): { request: ReviewRequest; analysisError: ErrorInfo | undefined } {
  const { analysis, ...rest } = message;
  if (analysis === undefined) return { request: rest, analysisError: undefined };
  if ('Payload' in analysis) return { request: { ...rest, analysis: analysis.Payload }, analysisError: undefined };
  return { request: rest, analysisError: analysis };
}

/**
 * The reviewer's decision: the SendTaskSuccess `output`, written at `ResultPath: '$.review'`.
 * Unknown fields are rejected so a typo cannot silently pick a default branch.
 */
export const ReviewOutcomeSchema = z.strictObject({
  outcome: ReviewOutcomeNameSchema,
  /** Who decided (user name or e-mail), for the audit trail. */
  reviewer: singleLineText(200),
  note: z.optional(multiLineText(2_000)),
  decidedAt: timestamp(),
});
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;
