import { ConverseCommand, type BedrockRuntimeClient, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import {
  AnalysisVerdictSchema,
  AnalyzeErrorInputSchema,
  AnalyzeErrorOutputSchema,
  InvalidOrderError,
  SagaSteps,
  type AnalysisContext,
  type AnalysisVerdict,
  type AnalyzeErrorOutput,
  type LlmFallbackReason,
} from '@saga/contracts';
import type { StepLogger } from '@saga/lambda-kit/logger';
import type { AnalyzeErrorConfig } from './config.js';
import { ANALYSIS_TOOL_NAME, converseRequest, errorFacts, type ErrorFacts } from './prompt.js';
import { createRedactor, type KnownPii } from './redact.js';
import { classifyByRules } from './rules.js';

/**
 * Looks up the personal data known for an order (e.g. from the order record), so it is redacted by
 * value. The AnalyzeError input deliberately carries none.
 */
export type KnownPiiLookup = (context: AnalysisContext) => KnownPii | undefined | Promise<KnownPii | undefined>;

/** Everything AnalyzeError does I/O with. */
export interface AnalyzeErrorDeps {
  readonly config: AnalyzeErrorConfig;
  /** The Bedrock Runtime client; needed when `config.bedrock` is set. */
  readonly bedrock?: Pick<BedrockRuntimeClient, 'send'>;
  readonly logger: StepLogger;
  readonly knownPii?: KnownPiiLookup;
  /** Milliseconds clock for durations. @default Date.now */
  readonly now?: () => number;
}

/**
 * Classifies a failure for the human reviewer.
 *
 * 1. Validates the input (`errorInfo` + allow-listed `context`) with the contracts' schema (→ `InvalidOrder`).
 * 2. Builds the facts that may leave: order id, failed step, error name, attempts, and the cause's type,
 *    message and trace, all redacted (cards, e-mails, phones, the customer's known name and address,
 *    secrets, IBANs, IPs) and bounded.
 * 3. Runs the deterministic rules (taxonomy first, then name patterns).
 * 4. When Bedrock is configured: Converse with the facts and a forced tool whose schema is the contracts'
 *    verdict; the answer is validated with that schema. Any failure (error, timeout, invalid output, a
 *    failed PII lookup) falls back to the rules verdict, saying why.
 * 5. The model never overrides the taxonomy: for a taxonomy error, `retriable` is the taxonomy's.
 *
 * Never throws for a Bedrock problem: the reviewer always gets an analysis.
 */
export async function analyzeError(input: unknown, deps: AnalyzeErrorDeps): Promise<AnalyzeErrorOutput> {
  const parsed = AnalyzeErrorInputSchema.safeParse(input);
  if (!parsed.success) {
    const error = InvalidOrderError.fromZodError(parsed.error);
    deps.logger.warn('invalid input', { step: SagaSteps.AnalyzeError, outcome: 'rejected', errorName: error.name, issues: error.issues });
    throw error;
  }
  const now = deps.now ?? Date.now;
  const started = now();
  const { context } = parsed.data;

  let known: KnownPii | undefined;
  let lookupFailed = false;
  try {
    known = deps.knownPii ? await deps.knownPii(context) : undefined;
  } catch (error) {
    lookupFailed = true;
    deps.logger.warn('known-PII lookup failed; Bedrock will not be called', { orderId: context.orderId, errorName: errorName(error) });
  }
  const redactor = createRedactor({ ...(known ? { known } : {}), keep: [context.orderId, ...(context.executionArn ? [context.executionArn] : [])] });
  const facts = errorFacts(parsed.data, redactor);
  const rules = classifyByRules(facts);
  const log = { orderId: context.orderId, step: SagaSteps.AnalyzeError, failedStep: context.failedStep, errorName: facts.error };

  const fallback = (reason: LlmFallbackReason, extra: Record<string, unknown> = {}): AnalyzeErrorOutput => {
    const result: AnalyzeErrorOutput = { ...rules, source: 'rules', llmFallback: reason };
    deps.logger.info('error analysed', { ...log, ...summary(result), llmFallback: reason, ...extra, durationMs: now() - started });
    return result;
  };

  const settings = deps.config.bedrock;
  if (settings === undefined || deps.bedrock === undefined) return fallback('not_configured');
  if (lookupFailed) return fallback('error', { bedrockError: 'KnownPiiLookupFailed' });

  const signal = AbortSignal.timeout(settings.timeoutMs);
  let response: ConverseCommandOutput;
  try {
    response = await deps.bedrock.send(new ConverseCommand(converseRequest(facts, settings)), { abortSignal: signal });
  } catch (error) {
    return fallback('error', {
      bedrockError: signal.aborted ? 'Timeout' : errorName(error),
      ...httpStatusOf(error),
      ...(signal.aborted ? { timeoutMs: settings.timeoutMs } : {}),
    });
  }

  const verdict = toolVerdict(response);
  if (verdict === undefined) return fallback('invalid_output', { stopReason: response.stopReason });
  const result = AnalyzeErrorOutputSchema.safeParse({
    ...withTaxonomy(verdict, facts),
    source: 'bedrock',
    modelId: settings.modelId,
  });
  if (!result.success) return fallback('invalid_output', { stopReason: response.stopReason });
  deps.logger.info('error analysed', {
    ...log,
    ...summary(result.data),
    modelRetriable: verdict.retriable,
    inputTokens: response.usage?.inputTokens,
    outputTokens: response.usage?.outputTokens,
    durationMs: now() - started,
  });
  return result.data;
}

/** The forced tool's input, validated with the contracts' verdict schema; `undefined` when absent or invalid. */
function toolVerdict(response: ConverseCommandOutput): AnalysisVerdict | undefined {
  const message = response.output && 'message' in response.output ? response.output.message : undefined;
  const block = message?.content?.find((b) => b.toolUse?.name === ANALYSIS_TOOL_NAME);
  const parsed = AnalysisVerdictSchema.safeParse(block?.toolUse?.input);
  return parsed.success ? parsed.data : undefined;
}

/** The taxonomy, not the model, says whether a taxonomy error is retriable. */
function withTaxonomy(verdict: AnalysisVerdict, facts: ErrorFacts): AnalysisVerdict {
  return facts.taxonomy === undefined ? verdict : { ...verdict, retriable: facts.taxonomy.retriable };
}

function summary(result: AnalyzeErrorOutput): Record<string, unknown> {
  return {
    outcome: 'analysed',
    source: result.source,
    category: result.category,
    retriable: result.retriable,
    confidence: result.confidence,
    ...(result.source === 'bedrock' ? { modelId: result.modelId } : {}),
  };
}

function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  return /^[A-Za-z][A-Za-z0-9_.]{0,63}$/.test(name) ? name : 'Error';
}

function httpStatusOf(error: unknown): { httpStatus?: number } {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? { httpStatus: status } : {};
}
