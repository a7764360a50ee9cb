import type { AnalyzeErrorInput } from '@saga/contracts';
import type { KnownPii } from '../src/redact.js';

export const MODEL_ID = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';

/** An AnalyzeError input as the saga's Parameters build it. */
export function analyzeInput(error: string, cause?: unknown, context: Partial<AnalyzeErrorInput['context']> = {}): AnalyzeErrorInput {
  return {
    errorInfo: {
      Error: error,
      ...(cause === undefined ? {} : { Cause: typeof cause === 'string' ? cause : JSON.stringify(cause) }),
    },
    context: { orderId: 'ord-2026-0042', failedStep: 'BookShipment', attempts: 3, ...context },
  };
}

export const ADA: KnownPii = {
  names: ['Ada Lovelace'],
  emails: ['ada.lovelace@example.com'],
  phones: ['+447700900123'],
  addressLines: ['12 Analytical Row', 'Flat 3', 'London'],
  postalCodes: ['N1 9GU'],
};

/** A schema-valid model answer. */
export const MODEL_VERDICT = {
  category: 'dependency',
  retriable: true,
  likelyCause: 'The carrier answered with an HTML maintenance page instead of a booking.',
  remediation: ['Check the booking in the carrier portal.', 'Retry once the carrier is back.'],
  confidence: 0.8,
} as const;

/** The facts JSON inside a Converse request body's user message. */
export function factsOf(body: unknown): Record<string, unknown> {
  const text = (body as { messages: Array<{ content: Array<{ text: string }> }> }).messages[0]?.content[0]?.text ?? '';
  const match = /<facts>\n([\s\S]*)\n<\/facts>/.exec(text);
  if (!match?.[1]) throw new Error('no <facts> in the request');
  return JSON.parse(match[1]) as Record<string, unknown>;
}
