import { describe, expect, it } from 'vitest';
import { ReviewMessageSchema, ReviewOutcomeSchema, ReviewOutcomes, ReviewRequestSchema, reviewRequestFromMessage, type ReviewRequest } from './index.js';

const request: ReviewRequest = {
  executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:fulfilment:ord_2026-0001',
  taskToken: 'AQCEAAAAKgAAAAMAAAAAAAAAA...',
  orderId: 'ord_2026-0001',
  failedStep: 'BookShipment',
  errorInfo: { Error: 'CarrierResponseInvalid', Cause: '{"errorMessage":"unexpected body"}' },
  analysis: {
    source: 'rules',
    category: 'dependency',
    retriable: false,
    likelyCause: 'Unreadable carrier response.',
    remediation: ['Check the carrier portal for a booking.'],
    confidence: 0.6,
  },
  requestedAt: '2026-11-22T10:00:00.000Z',
};

describe('ReviewRequestSchema', () => {
  it('parses the WaitForHumanReview message body', () => {
    expect(ReviewRequestSchema.parse(JSON.parse(JSON.stringify(request)))).toEqual(request);
  });

  it('allows a missing analysis (AnalyzeError itself failed)', () => {
    const { analysis: _analysis, ...withoutAnalysis } = request;
    expect(ReviewRequestSchema.safeParse(withoutAnalysis).success).toBe(true);
  });

  it.each([
    ['an unknown step', { failedStep: 'ChooseAfterReview' }],
    ['a missing task token', { taskToken: '' }],
    ['a non-ISO timestamp', { requestedAt: '22/11/2026 10:00' }],
    ['a bad order id', { orderId: 'ord 1' }],
  ])('rejects %s', (_label, patch) => {
    expect(ReviewRequestSchema.safeParse({ ...request, ...patch }).success).toBe(false);
  });
});

describe('ReviewOutcomeSchema', () => {
  it.each(Object.values(ReviewOutcomes))('accepts outcome %s', (outcome) => {
    const decision = { outcome, reviewer: 'ops@example.com', decidedAt: '2026-11-22T10:05:00Z' };
    expect(ReviewOutcomeSchema.parse(decision)).toEqual(decision);
  });

  it('accepts a multi-line note', () => {
    const decision = { outcome: 'retry', reviewer: 'sam', note: 'Carrier confirmed no booking.\nRetrying.', decidedAt: '2026-11-22T10:05:00Z' };
    expect(ReviewOutcomeSchema.parse(decision).note).toContain('\n');
  });

  it.each([
    ['an unknown outcome', { outcome: 'approve' }],
    ['an uppercase outcome', { outcome: 'RETRY' }],
    ['no reviewer', { reviewer: '' }],
    ['an extra field', { decision: 'APPROVE' }],
    ['a missing timestamp', { decidedAt: undefined }],
    ['an over-long note', { note: 'x'.repeat(2_001) }],
  ])('rejects %s', (_label, patch) => {
    const decision = { outcome: 'compensate', reviewer: 'sam', decidedAt: '2026-11-22T10:05:00Z', ...patch };
    expect(ReviewOutcomeSchema.safeParse(decision).success).toBe(false);
  });
});

describe('failedStep of a review request', () => {
  it('accepts a group of parallel compensations (CompensateThrough<Step>) and rejects unknown states', async () => {
    const { FailedStepSchema } = await import('./saga-steps.js');
    expect(FailedStepSchema.safeParse('CompensateThroughReserveStock').success).toBe(true);
    expect(FailedStepSchema.safeParse('ReleaseStock').success).toBe(true);
    expect(FailedStepSchema.safeParse('CompensateThroughNothing').success).toBe(false);
  });
});

describe('ReviewMessageSchema: the body as WaitForHumanReview sends it', () => {
  const { analysis, ...rest } = request;

  it('carries the analysis as AnalyzeError left it ({Payload}) and flattens to a ReviewRequest', () => {
    const message = ReviewMessageSchema.parse(JSON.parse(JSON.stringify({ ...rest, analysis: { Payload: analysis } })));
    expect(reviewRequestFromMessage(message)).toEqual({ request, analysisError: undefined });
  });

  it('carries the analyser’s own failure ({Error, Cause}) and reports it beside a request without analysis', () => {
    const failure = { Error: 'Lambda.Unknown', Cause: 'analysis timed out' };
    const message = ReviewMessageSchema.parse({ ...rest, analysis: failure });
    expect(reviewRequestFromMessage(message)).toEqual({ request: rest, analysisError: failure });
  });

  it('a bare analysis is not the wire format', () => {
    expect(ReviewMessageSchema.safeParse(request).success).toBe(false);
  });
});
