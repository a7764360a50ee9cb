import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { AnalyzeErrorOutputSchema } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import { BedrockStub } from '@saga/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeError, type AnalyzeErrorDeps } from '../src/analyze-error.js';
import { ANALYSIS_TOOL_NAME } from '../src/prompt.js';
import { MODEL_ID, MODEL_VERDICT, analyzeInput, factsOf } from './fixtures.js';
import { PII_CORPUS, type PiiCase } from './pii-corpus.js';

// Integration: the real BedrockRuntimeClient (default HTTP/2 handler, SigV4 with dummy credentials)
// against the Bedrock stub, asserting on the exact request bodies the client sent.

let stub: BedrockStub;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  stub = new BedrockStub();
  const { endpoint } = await stub.start();
  client = new BedrockRuntimeClient({
    region: 'eu-west-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    maxAttempts: 2,
  });
});
afterAll(async () => {
  client.destroy();
  await stub.close();
});
beforeEach(() => {
  stub.reset();
});

function deps(overrides: Partial<AnalyzeErrorDeps> = {}) {
  const logger = recordingLogger();
  const d: AnalyzeErrorDeps = {
    config: { bedrock: { modelId: MODEL_ID, timeoutMs: 3_000, maxTokens: 1_024, temperature: 0 } },
    bedrock: client,
    logger,
    ...overrides,
  };
  return { deps: d, logger };
}

/** Finds `value` in `text` as a whole token, case-insensitively; digit strings also without separators. */
function leaks(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = /^[\p{L}\p{N}]/u.test(value) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = /[\p{L}\p{N}]$/u.test(value) ? '(?![\\p{L}\\p{N}])' : '';
  if (new RegExp(`${before}${escaped}${after}`, 'iu').test(text)) return true;
  const digits = value.replace(/\D/g, '');
  return digits.length >= 9 && new RegExp(`(?<!\\d)${digits}(?!\\d)`).test(text.replace(/(?<=\d)[ ().-](?=[\d(])/g, ''));
}

describe('PII corpus: nothing personal reaches Bedrock', () => {
  it('has at least 30 cases', () => {
    expect(PII_CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(PII_CORPUS.map((c) => c.label)).size).toBe(PII_CORPUS.length);
  });

  it.each(PII_CORPUS.map((c) => [c.label, c] as const))('%s', async (_label, testCase: PiiCase) => {
    const { deps: d, logger } = deps(testCase.known ? { knownPii: () => testCase.known } : {});
    const result = await analyzeError(testCase.input, d);
    expect(result).toMatchObject({ source: 'bedrock', modelId: MODEL_ID });

    const requests = stub.requests();
    expect(requests).toHaveLength(1);
    const body = requests[0]?.body ?? '';
    const facts = factsOf(JSON.parse(body));
    const factsText = JSON.stringify(facts);

    // The personal data is gone from the exact bytes the client sent...
    for (const value of testCase.pii) {
      expect(leaks(body, value), `${JSON.stringify(value)} leaked in the request body`).toBe(false);
      expect(leaks(factsText, value), `${JSON.stringify(value)} leaked in the facts`).toBe(false);
    }
    // ... from the logs and from what the reviewer reads...
    const exposed = JSON.stringify(logger.entries) + JSON.stringify(result);
    for (const value of testCase.pii) expect(leaks(exposed, value), `${JSON.stringify(value)} leaked in logs or result`).toBe(false);

    // ... while the allow-listed facts are there.
    expect(facts['orderId']).toBe(testCase.input.context.orderId);
    expect(facts['failedStep']).toBe(testCase.input.context.failedStep);
    expect(facts['attempts']).toBe(testCase.input.context.attempts);
    expect(typeof facts['error']).toBe('string');
    if (!/[@\d]/.test(testCase.input.errorInfo.Error)) expect(facts['error']).toBe(testCase.input.errorInfo.Error);
    for (const kept of testCase.keeps ?? []) expect(factsText).toContain(kept);
    // No raw order, customer or execution input: only the allow-listed keys.
    const allowed = ['orderId', 'failedStep', 'error', 'attempts', 'errorType', 'errorMessage', 'trace', 'cause', 'taxonomy'];
    for (const key of Object.keys(facts)) expect(allowed).toContain(key);
  });
});

describe('the request the client sends', () => {
  it('is a Converse call over HTTP/2 with the forced tool, a low temperature and bounded tokens', async () => {
    await analyzeError(analyzeInput('CarrierResponseInvalid', { errorType: 'CarrierResponseInvalid', errorMessage: 'not JSON' }), deps().deps);
    const [request] = stub.requests();
    expect(request).toMatchObject({ method: 'POST', operation: 'converse', modelId: MODEL_ID, httpVersion: '2.0', outcome: 200 });
    expect(request?.path).toBe(`/model/${encodeURIComponent(MODEL_ID)}/converse`);
    expect(request?.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request/);
    const body = request?.json as {
      system: Array<{ text: string }>;
      inferenceConfig: { temperature: number; maxTokens: number };
      toolConfig: { toolChoice: unknown; tools: Array<{ toolSpec: { name: string; inputSchema: { json: { required: string[] } } } }> };
    };
    expect(body.inferenceConfig).toEqual({ temperature: 0, maxTokens: 1_024 });
    expect(body.toolConfig.toolChoice).toEqual({ tool: { name: ANALYSIS_TOOL_NAME } });
    expect(body.toolConfig.tools[0]?.toolSpec.inputSchema.json.required).toContain('retriable');
    expect(body.system[0]?.text).toContain('untrusted');
    expect(body).not.toHaveProperty('modelId'); // in the path, not the body
  });
});

describe('Bedrock answers and failures, end to end', () => {
  it('returns the model verdict, validated', async () => {
    stub.script([{ kind: 'tool', input: MODEL_VERDICT }]);
    const result = await analyzeError(analyzeInput('SomethingNew', 'odd failure'), deps().deps);
    expect(AnalyzeErrorOutputSchema.parse(result)).toEqual({ ...MODEL_VERDICT, source: 'bedrock', modelId: MODEL_ID });
  });

  it('does not call Bedrock without a model id', async () => {
    const result = await analyzeError(analyzeInput('CarrierUnavailable', 'x'), deps({ config: {} }).deps);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'not_configured', category: 'transient', retriable: true });
    expect(stub.requests()).toHaveLength(0);
  });

  it('lets the SDK retry one throttle within the deadline', async () => {
    stub.script(['ThrottlingException', { kind: 'tool', input: MODEL_VERDICT }]);
    const result = await analyzeError(analyzeInput('SomethingNew', 'x'), deps().deps);
    expect(result.source).toBe('bedrock');
    expect(stub.requests().map((r) => r.outcome)).toEqual([429, 200]);
  });

  it.each(['ThrottlingException', 'ValidationException', 'AccessDeniedException', 'ModelTimeoutException', 'ResourceNotFoundException'] as const)(
    'falls back to the rules on %s',
    async (error) => {
      stub.always(error);
      const { deps: d, logger } = deps();
      const result = await analyzeError(analyzeInput('CarrierUnavailable', { errorType: 'CarrierUnavailable', errorMessage: '503' }), d);
      expect(result).toMatchObject({ source: 'rules', llmFallback: 'error', category: 'transient', retriable: true, confidence: 1 });
      expect(logger.entries.at(-1)?.attributes).toMatchObject({ bedrockError: error });
    },
  );

  it('falls back to the rules when Bedrock is too slow, aborting the call', async () => {
    stub.always({ kind: 'slow', delayMs: 10_000 });
    const { deps: d, logger } = deps({ config: { bedrock: { modelId: MODEL_ID, timeoutMs: 300, maxTokens: 512, temperature: 0 } } });
    const started = Date.now();
    const result = await analyzeError(analyzeInput('States.Timeout', 'Task timed out after 30.00 seconds'), d);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'error', category: 'transient' });
    expect(logger.entries.at(-1)?.attributes).toMatchObject({ bedrockError: 'Timeout', timeoutMs: 300 });
    await vi.waitFor(() => expect(stub.requests()[0]?.outcome).toBe('aborted'));
  });

  it.each([
    ['a tool input missing fields', { kind: 'tool', input: { category: 'transient' } }],
    ['an unknown category', { kind: 'tool', input: { ...MODEL_VERDICT, category: 'solar-flare' } }],
    ['a text answer', { kind: 'text', text: 'I think it is transient.' }],
    ['another tool', { kind: 'tool', input: MODEL_VERDICT, toolName: 'something_else' }],
  ] as const)('falls back to the rules on invalid output: %s', async (_label, answer) => {
    stub.script([answer]);
    const result = await analyzeError(analyzeInput('CarrierResponseInvalid', { errorType: 'CarrierResponseInvalid', errorMessage: 'x' }), deps().deps);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'invalid_output', category: 'dependency', retriable: false });
  });

  it.each([
    ['a 200 that is not JSON', { kind: 'raw', status: 200, body: '<html>oops</html>', contentType: 'text/html' }],
    ['a dropped connection', { kind: 'drop' }],
  ] as const)('falls back to the rules on %s', async (_label, answer) => {
    stub.always(answer);
    const result = await analyzeError(analyzeInput('SomethingNew', 'x'), deps().deps);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'error', category: 'unknown', retriable: false });
  });

  it('keeps the taxonomy’s retriable whatever the model says', async () => {
    stub.script([
      { kind: 'tool', input: { ...MODEL_VERDICT, retriable: true } },
      { kind: 'tool', input: { ...MODEL_VERDICT, retriable: false } },
    ]);
    const invalid = await analyzeError(analyzeInput('CarrierResponseInvalid', { errorType: 'CarrierResponseInvalid', errorMessage: 'x' }), deps().deps);
    const unavailable = await analyzeError(analyzeInput('CarrierUnavailable', { errorType: 'CarrierUnavailable', errorMessage: 'x' }), deps().deps);
    expect(invalid).toMatchObject({ source: 'bedrock', retriable: false });
    expect(unavailable).toMatchObject({ source: 'bedrock', retriable: true });
  });
});
