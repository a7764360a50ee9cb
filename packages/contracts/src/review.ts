import * as z from 'zod/mini';
import { ErrorAnalysisSchema } from './analysis.js';
import { ErrorInfoSchema } from './error-info.js';
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

/**
 * The SQS message body WaitForHumanReview sends (`sqs:sendMessage.waitForTaskToken`). The console
 * lists these and answers with SendTaskSuccess(taskToken, {@link ReviewOutcome}).
 */
export const ReviewRequestSchema = z.object({
  /** `$$.Execution.Id`, the execution ARN. */
  executionArn: z.string().check(z.minLength(1), z.maxLength(2_048)),
  /** `$$.Task.Token`. */
  taskToken: z.string().check(z.minLength(1), z.maxLength(2_048)),
  orderId: OrderIdSchema,
  failedStep: FailedStepSchema,
  errorInfo: ErrorInfoSchema,
  /** Absent when AnalyzeError itself failed. */
  analysis: z.optional(ErrorAnalysisSchema),
  /** `$$.State.EnteredTime`. */
  requestedAt: timestamp(),
});
export type ReviewRequest = z.infer<typeof ReviewRequestSchema>;

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
