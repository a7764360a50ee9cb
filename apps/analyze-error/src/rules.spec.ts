import { AnalysisVerdictSchema, SagaErrorNames, SagaErrors, type FailedStep } from '@saga/contracts';
import { describe, expect, it } from 'vitest';
import { PatternRules, TaxonomyAdvice, classifyByRules, clean, taxonomyNameOf } from './rules.js';

const step: FailedStep = 'BookShipment';

describe('classifyByRules: taxonomy errors', () => {
  it.each(SagaErrorNames)('%s: category from the advice, retriable from the taxonomy, confidence 1', (name) => {
    const verdict = classifyByRules({ error: name, failedStep: step, errorMessage: 'details' });
    expect(AnalysisVerdictSchema.parse(verdict)).toEqual(verdict);
    expect(verdict.category).toBe(TaxonomyAdvice[name].category);
    expect(verdict.retriable).toBe(SagaErrors[name].retriable);
    expect(verdict.confidence).toBe(1);
    expect(verdict.likelyCause).toBe(`${name} in BookShipment: ${SagaErrors[name].description} Message: details`);
    expect(verdict.remediation.length).toBeGreaterThan(0);
  });

  it('reads the taxonomy name from the Lambda errorType when the ASL error is generic', () => {
    expect(taxonomyNameOf({ error: 'Lambda.Unknown', errorType: 'CarrierUnavailable' })).toBe('CarrierUnavailable');
    expect(taxonomyNameOf({ error: 'CarrierRejected', errorType: 'CarrierUnavailable' })).toBe('CarrierRejected');
    expect(taxonomyNameOf({ error: 'States.Timeout' })).toBeUndefined();
    expect(taxonomyNameOf({ error: 'toString' })).toBeUndefined();
    expect(classifyByRules({ error: 'States.TaskFailed', errorType: 'CarrierResponseInvalid', failedStep: step })).toMatchObject({
      category: 'dependency',
      retriable: false,
      confidence: 1,
    });
  });

  it('says an unreadable carrier answer is a dependency problem with an unknown outcome', () => {
    expect(classifyByRules({ error: 'CarrierResponseInvalid', failedStep: step })).toMatchObject({ category: 'dependency', retriable: false });
  });
});

describe('classifyByRules: other names, by pattern', () => {
  it.each([
    ['States.Timeout', undefined, 'transient', true],
    ['Lambda.Unknown', 'Task timed out after 30.00 seconds', 'transient', true],
    ['ThrottlingException', undefined, 'transient', true],
    ['Lambda.TooManyRequestsException', undefined, 'transient', true],
    ['ProvisionedThroughputExceededException', undefined, 'transient', true],
    ['Error', 'Request failed with status code 429', 'transient', true],
    ['Lambda.ServiceException', undefined, 'transient', true],
    ['TypeError', 'fetch failed', 'unknown', false],
    ['Error', 'connect ECONNREFUSED 10.0.0.1:443', 'transient', true],
    ['Error', 'upstream answered 502 Bad Gateway', 'transient', true],
    ['AccessDeniedException', undefined, 'configuration', false],
    ['States.Permissions', undefined, 'configuration', false],
    ['Error', 'The security token included in the request is expired: ExpiredTokenException', 'configuration', false],
    ['ResourceNotFoundException', undefined, 'configuration', false],
    ['Error', 'Requested resource not found: table does not exist', 'configuration', false],
    ['ValidationException', undefined, 'data', false],
    ['States.DataLimitExceeded', undefined, 'data', false],
    ['States.Runtime', undefined, 'data', false],
    ['Runtime.ExitError', 'signal: killed', 'configuration', false],
    ['ReferenceError', 'x is not defined', 'unknown', false],
    ['Lambda.Unknown', undefined, 'unknown', false],
    ['SomethingOdd', 'the flux capacitor', 'unknown', false],
  ] as const)('%s (%s) → %s, retriable %s', (error, errorMessage, category, retriable) => {
    const verdict = classifyByRules({ error, failedStep: step, ...(errorMessage === undefined ? {} : { errorMessage }) });
    expect(AnalysisVerdictSchema.parse(verdict)).toEqual(verdict);
    expect(verdict).toMatchObject({ category, retriable });
    expect(verdict.confidence).toBeLessThan(1);
    expect(verdict.confidence).toBeGreaterThan(0);
    expect(verdict.likelyCause.startsWith(`${error} in BookShipment: `)).toBe(true);
  });

  it('prefers the name over the message', () => {
    expect(classifyByRules({ error: 'ThrottlingException', errorMessage: 'AccessDenied somewhere', failedStep: step }).category).toBe('transient');
  });

  it('gives nothing-matched a low confidence', () => {
    expect(classifyByRules({ error: 'X', failedStep: step }).confidence).toBe(0.2);
  });

  it('reads a non-Lambda cause when there is no message', () => {
    expect(classifyByRules({ error: 'Weird', cause: 'HTTP 503 from upstream', failedStep: step }).category).toBe('transient');
  });

  it('has rules with distinct ids and sane confidences', () => {
    expect(new Set(PatternRules.map((r) => r.id)).size).toBe(PatternRules.length);
    for (const rule of PatternRules) expect(rule.confidence).toBeLessThan(1);
  });
});

describe('likelyCause excerpt and clean()', () => {
  it('keeps the excerpt on one line and bounded', () => {
    const verdict = classifyByRules({ error: 'X', failedStep: step, errorMessage: `line1\r\nline2\t${'y'.repeat(1_000)}` });
    expect(verdict.likelyCause).toMatch(/Message: line1 line2 y+…$/);
    expect(verdict.likelyCause.length).toBeLessThan(500);
  });

  it('removes control characters and bounds the text', () => {
    expect(clean('a\u0000b\u0007c\nd\te', 100)).toBe('a b c\nd\te');
    expect(clean('x'.repeat(10), 5)).toBe('xxxx…');
    expect(clean('  \u0001 ', 10)).toBe('-');
  });

  it('survives names at the length limit', () => {
    const verdict = classifyByRules({ error: 'E'.repeat(256), failedStep: step, errorMessage: 'm'.repeat(2_000) });
    expect(AnalysisVerdictSchema.safeParse(verdict).success).toBe(true);
  });
});
