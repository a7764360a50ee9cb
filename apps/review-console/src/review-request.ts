import {
  contractIssues,
  ErrorInfoSchema,
  ReviewMessageSchema,
  ReviewRequestSchema,
  reviewRequestFromMessage,
  type ErrorInfo,
  type ReviewRequest,
} from '@saga/contracts';

/**
 * Reads a review queue message body. The saga sends `analysis` as AnalyzeError left it at
 * `$.analysis`: the Lambda result `{Payload: ErrorAnalysis}` (with `LAMBDA_PAYLOAD_ONLY`), or the
 * `{Error, Cause}` its Catch wrote when the analysis itself failed. Both are accepted here and
 * normalised before {@link ReviewRequestSchema} checks the rest. Issues name paths and codes,
 * never values (a body carries error causes that may hold data).
 */
export type ParsedReviewRequest =
  | { ok: true; request: ReviewRequest; analysisError: ErrorInfo | undefined }
  | { ok: false; issues: string[] };

export function parseReviewRequest(body: string): ParsedReviewRequest {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, issues: ['the body is not JSON'] };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, issues: ['the body is not a JSON object'] };
  // The wire format the saga sends (the contracts' ReviewMessage); other shapes are normalised below.
  const wire = ReviewMessageSchema.safeParse(raw);
  if (wire.success) return { ok: true, ...reviewRequestFromMessage(wire.data) };
  const { analysis, analysisError } = normaliseAnalysis((raw as Record<string, unknown>)['analysis']);
  const candidate = { ...(raw as Record<string, unknown>), analysis };
  if (analysis === undefined) delete candidate.analysis;
  const parsed = ReviewRequestSchema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, issues: contractIssues(parsed.error).map((i) => `${i.path} ${i.code}${i.detail ? ` (${i.detail})` : ''}`) };
  }
  return { ok: true, request: parsed.data, analysisError };
}

function normaliseAnalysis(value: unknown): { analysis: unknown; analysisError: ErrorInfo | undefined } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { analysis: value ?? undefined, analysisError: undefined };
  const record = value as Record<string, unknown>;
  if ('Payload' in record) return { analysis: record['Payload'], analysisError: undefined };
  if ('Error' in record && !('source' in record)) {
    const info = ErrorInfoSchema.safeParse(record);
    return { analysis: undefined, analysisError: info.success ? info.data : { Error: 'AnalysisFailed' } };
  }
  return { analysis: value, analysisError: undefined };
}
