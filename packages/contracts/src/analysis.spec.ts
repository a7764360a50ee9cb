import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AnalysisVerdictSchema, ErrorAnalysisSchema, ErrorCategories, type AnalysisVerdict, type ErrorAnalysis } from './index.js';

const verdict: AnalysisVerdict = {
  category: 'dependency',
  retriable: false,
  likelyCause: 'The carrier answered 200 with an HTML maintenance page.',
  remediation: ['Check the booking in the carrier portal.', 'Retry if no booking exists.'],
  confidence: 0.7,
};

describe('ErrorAnalysisSchema', () => {
  it('parses a rules verdict, with or without a fallback reason', () => {
    const rules: ErrorAnalysis = { ...verdict, source: 'rules', llmFallback: 'not_configured' };
    expect(ErrorAnalysisSchema.parse(rules)).toEqual(rules);
    expect(ErrorAnalysisSchema.parse({ ...verdict, source: 'rules' })).toEqual({ ...verdict, source: 'rules' });
  });

  it('requires a model id for a Bedrock verdict', () => {
    const bedrock = { ...verdict, source: 'bedrock', modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' };
    expect(ErrorAnalysisSchema.parse(bedrock)).toEqual(bedrock);
    expect(ErrorAnalysisSchema.safeParse({ ...verdict, source: 'bedrock' }).success).toBe(false);
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0';
    expect(ErrorAnalysisSchema.safeParse({ ...bedrock, modelId: arn }).success).toBe(true);
  });

  it.each([
    ['an unknown category', { category: 'cosmic-rays' }],
    ['confidence above 1', { confidence: 1.01 }],
    ['negative confidence', { confidence: -0.1 }],
    ['an empty cause', { likelyCause: '' }],
    ['too many remediation steps', { remediation: Array.from({ length: 11 }, () => 'step') }],
    ['a control character', { likelyCause: 'bad\u0000byte' }],
  ])('rejects %s', (_label, patch) => {
    expect(ErrorAnalysisSchema.safeParse({ ...verdict, source: 'rules', ...patch }).success).toBe(false);
  });

  it('rejects an unknown source', () => {
    expect(ErrorAnalysisSchema.safeParse({ ...verdict, source: 'oracle' }).success).toBe(false);
  });

  it('keeps the category set small', () => {
    expect(ErrorCategories.length).toBeLessThanOrEqual(6);
  });

  it('exports the verdict as a JSON schema a model tool can be forced to fill', () => {
    const schema = z.toJSONSchema(AnalysisVerdictSchema) as { properties: Record<string, { enum?: string[] }> };
    expect(Object.keys(schema.properties).sort()).toEqual(['category', 'confidence', 'likelyCause', 'remediation', 'retriable']);
    expect(schema.properties['category']?.enum).toEqual([...ErrorCategories]);
  });
});
