import * as z from 'zod/mini';
import { multiLineText } from './text.js';

/**
 * Coarse error categories for the reviewer:
 * - `transient`: throttling, 5xx, timeouts; a later retry will likely work;
 * - `business`: a legitimate domain outcome (card declined, out of stock, carrier refused);
 * - `data`: the order or a step input is malformed;
 * - `configuration`: credentials, permissions, wrong ids or endpoints; needs an operator;
 * - `dependency`: a dependency behaved unexpectedly (unreadable response) and the outcome is unknown;
 * - `unknown`: nothing matched.
 */
export const ErrorCategories = ['transient', 'business', 'data', 'configuration', 'dependency', 'unknown'] as const;

export const ErrorCategorySchema = z.enum(ErrorCategories);
export type ErrorCategory = z.infer<typeof ErrorCategorySchema>;

/** Where an analysis came from. */
export const AnalysisSources = { Bedrock: 'bedrock', Rules: 'rules' } as const;

/**
 * Why the rules verdict stands alone: Bedrock is not configured, failed, or returned output that
 * failed this schema.
 */
export const LlmFallbackReasonSchema = z.enum(['not_configured', 'error', 'invalid_output']);
export type LlmFallbackReason = z.infer<typeof LlmFallbackReasonSchema>;

/**
 * The verdict itself, without its provenance. This is what a model is asked to fill in (for example
 * `z.toJSONSchema(AnalysisVerdictSchema)` as the forced tool's input schema), and its output must be
 * re-validated with it.
 */
export const AnalysisVerdictSchema = z.object({
  category: ErrorCategorySchema,
  /** Whether retrying the failed step is expected to help. Advisory only: it never drives automatic actions. */
  retriable: z.boolean(),
  likelyCause: multiLineText(2_000).check(z.minLength(1)),
  /** Steps a person could take, most useful first. */
  remediation: z.array(multiLineText(500).check(z.minLength(1))).check(z.maxLength(10)),
  /** 0 (a guess) to 1 (certain); deterministic rules usually say 1. */
  confidence: z.number().check(z.gte(0), z.lte(1)),
});
export type AnalysisVerdict = z.infer<typeof AnalysisVerdictSchema>;

/**
 * The AnalyzeError result (ResultPath `$.analysis`), shown to the human reviewer.
 * A union on `source`: a Bedrock analysis names its model; a rules analysis may say why no model was used.
 */
export const ErrorAnalysisSchema = z.discriminatedUnion('source', [
  z.extend(AnalysisVerdictSchema, {
    source: z.literal(AnalysisSources.Bedrock),
    /** Bedrock model or inference-profile id, e.g. `eu.anthropic.claude-haiku-4-5-20251001-v1:0`. */
    modelId: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,2047}$/, 'model_id')),
  }),
  z.extend(AnalysisVerdictSchema, {
    source: z.literal(AnalysisSources.Rules),
    /** Why the model was not used; absent when the rules were conclusive. */
    llmFallback: z.optional(LlmFallbackReasonSchema),
  }),
]);
export type ErrorAnalysis = z.infer<typeof ErrorAnalysisSchema>;
