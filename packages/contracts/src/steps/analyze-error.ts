import * as z from 'zod/mini';
import { ErrorAnalysisSchema } from '../analysis.js';
import { ErrorInfoSchema } from '../error-info.js';
import { OrderIdSchema } from '../order.js';
import { FailedStepSchema } from '../saga-steps.js';

/**
 * The only context the analyser may see besides the error. Strict, so customer data cannot ride along;
 * the analyser still redacts `errorInfo.Cause`, which may quote third-party text.
 */
export const AnalysisContextSchema = z.strictObject({
  orderId: OrderIdSchema,
  failedStep: FailedStepSchema,
  /** `$$.Execution.Id`. */
  executionArn: z.optional(z.string().check(z.minLength(1), z.maxLength(2_048))),
  /** How many attempts the step made, when known. */
  attempts: z.optional(z.int().check(z.gte(1), z.lte(100))),
});
export type AnalysisContext = z.infer<typeof AnalysisContextSchema>;

/** AnalyzeError input: built with Parameters from `$.errorInfo` and allow-listed fields only. */
export const AnalyzeErrorInputSchema = z.strictObject({ errorInfo: ErrorInfoSchema, context: AnalysisContextSchema });
export type AnalyzeErrorInput = z.infer<typeof AnalyzeErrorInputSchema>;

/** AnalyzeError output (ResultPath `$.analysis`). */
export const AnalyzeErrorOutputSchema = ErrorAnalysisSchema;
export type AnalyzeErrorOutput = z.infer<typeof AnalyzeErrorOutputSchema>;
