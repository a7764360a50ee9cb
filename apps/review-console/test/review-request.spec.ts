import { describe, expect, it } from 'vitest';
import { parseReviewRequest } from '../src/review-request.js';

const base = {
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:saga:ord-1',
  taskToken: 'token',
  orderId: 'ord-1',
  failedStep: 'BookShipment',
  errorInfo: { Error: 'CarrierResponseInvalid', Cause: 'bad body' },
  requestedAt: '2026-11-22T10:00:00.000Z',
};
const analysis = { source: 'rules', category: 'unknown', retriable: false, likelyCause: 'no rule matched', remediation: [], confidence: 0.5 };

describe('parseReviewRequest', () => {
  it('reads the message the saga sends: the analysis as the Lambda result {Payload}', () => {
    const parsed = parseReviewRequest(JSON.stringify({ ...base, analysis: { Payload: analysis } }));
    expect(parsed).toEqual({ ok: true, request: { ...base, analysis }, analysisError: undefined });
  });

  it('an analysis that failed ({Error, Cause} from its Catch) is kept apart for the reviewer', () => {
    const parsed = parseReviewRequest(JSON.stringify({ ...base, analysis: { Error: 'States.Timeout', Cause: 'slow model' } }));
    expect(parsed).toEqual({ ok: true, request: base, analysisError: { Error: 'States.Timeout', Cause: 'slow model' } });
  });

  it('also takes the contract shape as it is (analysis unwrapped, or absent)', () => {
    expect(parseReviewRequest(JSON.stringify({ ...base, analysis }))).toMatchObject({ ok: true, request: { analysis } });
    expect(parseReviewRequest(JSON.stringify(base))).toMatchObject({ ok: true, request: base });
  });

  it('names what is wrong by path, never by value', () => {
    const parsed = parseReviewRequest(JSON.stringify({ ...base, orderId: 'has spaces & secrets', taskToken: undefined }));
    expect(parsed.ok).toBe(false);
    const issues = !parsed.ok ? parsed.issues.join('; ') : '';
    expect(issues).toContain('orderId');
    expect(issues).toContain('taskToken');
    expect(issues).not.toContain('secrets');
    expect(parseReviewRequest('not json')).toEqual({ ok: false, issues: ['the body is not JSON'] });
    expect(parseReviewRequest('[1]')).toEqual({ ok: false, issues: ['the body is not a JSON object'] });
  });
});
