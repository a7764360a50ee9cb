import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  ModelTimeoutException,
  ThrottlingException,
  ValidationException,
  type ConverseCommandInput,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { AnalyzeErrorOutputSchema, ErrorAnalysisSchema, SagaErrors } from '@saga/contracts';
import { recordingLogger } from '@saga/lambda-kit/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ADA, MODEL_ID, MODEL_VERDICT, analyzeInput, factsOf } from '../test/fixtures.js';
import { analyzeError, type AnalyzeErrorDeps } from './analyze-error.js';
import { ANALYSIS_TOOL_NAME } from './prompt.js';

const client = new BedrockRuntimeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } });
const bedrock = mockClient(client);
afterEach(() => bedrock.reset());

const settings = { modelId: MODEL_ID, timeoutMs: 2_000, maxTokens: 1_024, temperature: 0 };

function deps(overrides: Partial<AnalyzeErrorDeps> = {}) {
  const logger = recordingLogger();
  return { logger, deps: { config: { bedrock: settings }, bedrock: client, logger, ...overrides } satisfies AnalyzeErrorDeps };
}

function toolAnswer(input: unknown, name = ANALYSIS_TOOL_NAME): ConverseCommandOutput {
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name, input: input as never } }] } },
    stopReason: 'tool_use',
    usage: { inputTokens: 400, outputTokens: 60, totalTokens: 460 },
    metrics: { latencyMs: 800 },
  };
}

const sentInput = (): ConverseCommandInput => {
  const calls = bedrock.commandCalls(ConverseCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input as ConverseCommandInput;
};

const carrierHtml = analyzeInput('CarrierResponseInvalid', {
  errorType: 'CarrierResponseInvalid',
  errorMessage: 'carrier answered 200 with a body that is not JSON; the shipment may or may not be booked under key ord-2026-0042:shipment:v1',
});

describe('analyzeError without Bedrock', () => {
  it('answers with the rules, saying Bedrock is not configured', async () => {
    const { deps: d } = deps({ config: {} });
    const result = await analyzeError(carrierHtml, d);
    expect(ErrorAnalysisSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'not_configured', category: 'dependency', retriable: false, confidence: 1 });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  it('treats a missing client as not configured', async () => {
    const { bedrock: _none, ...rest } = deps().deps;
    expect(await analyzeError(carrierHtml, rest)).toMatchObject({ source: 'rules', llmFallback: 'not_configured' });
  });
});

describe('analyzeError with Bedrock', () => {
  it('sends a forced-tool Converse request and returns the validated verdict', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer(MODEL_VERDICT));
    const { deps: d, logger } = deps();
    const result = await analyzeError(analyzeInput('Lambda.Unknown', { errorType: 'Error', errorMessage: 'unexpected EOF' }), d);
    expect(AnalyzeErrorOutputSchema.parse(result)).toEqual(result);
    expect(result).toEqual({ ...MODEL_VERDICT, source: 'bedrock', modelId: MODEL_ID });

    const input = sentInput();
    expect(input.modelId).toBe(MODEL_ID);
    expect(input.inferenceConfig).toEqual({ maxTokens: 1_024, temperature: 0 });
    expect(input.toolConfig?.toolChoice).toEqual({ tool: { name: ANALYSIS_TOOL_NAME } });
    const spec = input.toolConfig?.tools?.[0]?.toolSpec;
    expect(spec?.name).toBe(ANALYSIS_TOOL_NAME);
    const schema = (spec?.inputSchema as { json: { properties: Record<string, { enum?: string[] }>; required: string[] } }).json;
    expect(schema.required.sort()).toEqual(['category', 'confidence', 'likelyCause', 'remediation', 'retriable']);
    expect(schema.properties['category']?.enum).toContain('dependency');
    expect(JSON.stringify(schema)).not.toContain('$schema');
    expect(input.system?.[0]).toHaveProperty('text');
    expect(factsOf(input)).toEqual({
      orderId: 'ord-2026-0042',
      failedStep: 'BookShipment',
      error: 'Lambda.Unknown',
      attempts: 3,
      errorType: 'Error',
      errorMessage: 'unexpected EOF',
    });
    expect(logger.entries.at(-1)).toMatchObject({
      message: 'error analysed',
      attributes: { source: 'bedrock', modelId: MODEL_ID, inputTokens: 400, outputTokens: 60, orderId: 'ord-2026-0042' },
    });
  });

  it('passes an abort signal with the configured timeout', async () => {
    let signal: AbortSignal | undefined;
    const fake = {
      send: (_command: ConverseCommand, options?: { abortSignal?: AbortSignal }) => {
        signal = options?.abortSignal;
        return Promise.resolve(toolAnswer(MODEL_VERDICT));
      },
    } as unknown as Pick<BedrockRuntimeClient, 'send'>;
    const { deps: d } = deps({ bedrock: fake });
    await analyzeError(carrierHtml, d);
    expect(signal).toBeInstanceOf(AbortSignal);
    expect(signal?.aborted).toBe(false);
  });

  it('includes the taxonomy facts for a taxonomy error', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer(MODEL_VERDICT));
    await analyzeError(carrierHtml, deps().deps);
    expect(factsOf(sentInput())['taxonomy']).toEqual({
      name: 'CarrierResponseInvalid',
      retriable: false,
      onFailure: 'escalate',
      description: SagaErrors.CarrierResponseInvalid.description,
    });
  });
});

describe('the model never overrides the taxonomy', () => {
  it.each([
    ['CarrierResponseInvalid', true, false],
    ['CarrierUnavailable', false, true],
    ['CarrierRejected', true, false],
    ['PaymentProviderUnavailable', false, true],
    ['CompensationFailed', true, false],
  ] as const)('%s: the model says retriable=%s, the result says %s', async (name, modelSays, expected) => {
    bedrock.on(ConverseCommand).resolves(toolAnswer({ ...MODEL_VERDICT, retriable: modelSays }));
    const { deps: d, logger } = deps();
    const result = await analyzeError(analyzeInput(name, { errorType: name, errorMessage: 'x' }), d);
    expect(result).toMatchObject({ source: 'bedrock', retriable: expected, category: MODEL_VERDICT.category, likelyCause: MODEL_VERDICT.likelyCause });
    expect(logger.entries.at(-1)?.attributes).toMatchObject({ retriable: expected, modelRetriable: modelSays });
  });

  it('also when the taxonomy name is only in the Lambda errorType', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer({ ...MODEL_VERDICT, retriable: true }));
    const result = await analyzeError(analyzeInput('Lambda.Unknown', { errorType: 'CarrierResponseInvalid', errorMessage: 'x' }), deps().deps);
    expect(result.retriable).toBe(false);
  });

  it('keeps the model’s retriable for names outside the taxonomy', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer({ ...MODEL_VERDICT, retriable: true }));
    expect((await analyzeError(analyzeInput('States.Timeout', 'Task timed out'), deps().deps)).retriable).toBe(true);
    bedrock.reset();
    bedrock.on(ConverseCommand).resolves(toolAnswer({ ...MODEL_VERDICT, retriable: false }));
    expect((await analyzeError(analyzeInput('States.Timeout', 'Task timed out'), deps().deps)).retriable).toBe(false);
  });
});

describe('fallback to the rules', () => {
  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'Too many requests', $metadata: { httpStatusCode: 429 } })],
    ['ValidationException', new ValidationException({ message: 'The provided model identifier is invalid.', $metadata: { httpStatusCode: 400 } })],
    ['AccessDeniedException', new AccessDeniedException({ message: 'no access', $metadata: { httpStatusCode: 403 } })],
    ['ModelTimeoutException', new ModelTimeoutException({ message: 'slow', $metadata: { httpStatusCode: 408 } })],
    ['Error', new Error('socket hang up')],
  ])('on %s: source rules, llmFallback error', async (name, error) => {
    bedrock.on(ConverseCommand).rejects(error);
    const { deps: d, logger } = deps();
    const result = await analyzeError(carrierHtml, d);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'error', category: 'dependency', retriable: false, confidence: 1 });
    expect(logger.entries.at(-1)?.attributes).toMatchObject({ llmFallback: 'error', bedrockError: name });
  });

  it('on a timeout: the call is aborted at the deadline', async () => {
    const fake = {
      send: (_command: ConverseCommand, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener('abort', () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })));
        }),
    } as unknown as Pick<BedrockRuntimeClient, 'send'>;
    const { deps: d, logger } = deps({ bedrock: fake, config: { bedrock: { ...settings, timeoutMs: 50 } } });
    const started = Date.now();
    const result = await analyzeError(carrierHtml, d);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'error' });
    expect(logger.entries.at(-1)?.attributes).toMatchObject({ bedrockError: 'Timeout', timeoutMs: 50 });
  });

  it.each([
    ['a text answer', { ...toolAnswer(MODEL_VERDICT), output: { message: { role: 'assistant', content: [{ text: JSON.stringify(MODEL_VERDICT) }] } }, stopReason: 'end_turn' }],
    ['another tool', toolAnswer(MODEL_VERDICT, 'other_tool')],
    ['a missing field', toolAnswer({ ...MODEL_VERDICT, likelyCause: undefined })],
    ['an unknown category', toolAnswer({ ...MODEL_VERDICT, category: 'cosmic-rays' })],
    ['a confidence above 1', toolAnswer({ ...MODEL_VERDICT, confidence: 1.5 })],
    ['retriable as a string', toolAnswer({ ...MODEL_VERDICT, retriable: 'yes' })],
    ['a control character', toolAnswer({ ...MODEL_VERDICT, likelyCause: 'bad\u0000text' })],
    ['eleven remediation steps', toolAnswer({ ...MODEL_VERDICT, remediation: Array.from({ length: 11 }, () => 'step') })],
    ['a string instead of an object', toolAnswer('category: transient')],
    ['no output at all', { $metadata: {}, stopReason: 'max_tokens' } as ConverseCommandOutput],
  ])('on %s: source rules, llmFallback invalid_output', async (_label, answer) => {
    bedrock.on(ConverseCommand).resolves(answer as ConverseCommandOutput);
    const result = await analyzeError(carrierHtml, deps().deps);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'invalid_output', category: 'dependency' });
  });

  it('does not call Bedrock when the known-PII lookup fails', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer(MODEL_VERDICT));
    const { deps: d, logger } = deps({
      knownPii: () => {
        throw new Error('orders table unreachable for ada@example.com');
      },
    });
    const result = await analyzeError(carrierHtml, d);
    expect(result).toMatchObject({ source: 'rules', llmFallback: 'error' });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(JSON.stringify(logger.entries)).not.toContain('ada@example.com');
  });
});

describe('personal data', () => {
  const leaky = analyzeInput(
    'CarrierRejected',
    {
      errorType: 'CarrierRejected',
      errorMessage: 'Cannot deliver to Ada Lovelace, 12 Analytical Row, London N1 9GU; call 07700 900123 or mail ada.lovelace@example.com; card 4111 1111 1111 1111',
      trace: ['CarrierRejected: Ada Lovelace', '    at book (/var/task/handler.mjs:1:2)'],
    },
    { executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:fulfilment:ord-2026-0042' },
  );
  const pii = ['Ada', 'Lovelace', 'Analytical', 'London', 'N1 9GU', '07700 900123', 'ada.lovelace@example.com', '4111 1111 1111 1111'];

  it('redacts the cause with the looked-up known values before it leaves', async () => {
    bedrock.on(ConverseCommand).resolves(toolAnswer(MODEL_VERDICT));
    let asked: unknown;
    const { deps: d } = deps({
      knownPii: async (context) => {
        asked = context;
        return ADA;
      },
    });
    await analyzeError(leaky, d);
    expect(asked).toEqual(leaky.context);
    const sent = JSON.stringify(sentInput());
    for (const value of pii) expect(sent).not.toContain(value);
    const facts = factsOf(sentInput());
    expect(facts['errorMessage']).toBe('Cannot deliver to [NAME], [ADDRESS], [ADDRESS] [POSTCODE]; call [PHONE] or mail [EMAIL]; card [CARD]');
    expect(facts['trace']).toEqual(['CarrierRejected: [NAME]', '    at book (/var/task/handler.mjs:1:2)']);
    // The execution ARN is allow-listed context but not needed by the model: it is not sent.
    expect(sent).not.toContain('arn:aws:states');
  });

  it('keeps personal data out of the logs and of the rules verdict', async () => {
    const { deps: d, logger } = deps({ config: {}, knownPii: () => ADA });
    const result = await analyzeError(leaky, d);
    const exposed = JSON.stringify(logger.entries) + JSON.stringify(result);
    for (const value of pii) expect(exposed).not.toContain(value);
    expect(result.likelyCause).toContain('Cannot deliver to [NAME]');
  });
});

describe('input validation', () => {
  it.each([
    ['nothing', undefined],
    ['the whole order riding along', { ...carrierHtml, order: { orderId: 'ord-1', customer: { email: 'ada@example.com' } } }],
    ['customer data in the context', { ...carrierHtml, context: { ...carrierHtml.context, email: 'ada@example.com' } }],
    ['an unknown failed step', { ...carrierHtml, context: { ...carrierHtml.context, failedStep: 'Teleport' } }],
    ['a missing Error', { ...carrierHtml, errorInfo: { Cause: 'x' } }],
  ])('rejects %s with InvalidOrder, calling nothing', async (_label, value) => {
    const { deps: d, logger } = deps();
    await expect(analyzeError(value, d)).rejects.toMatchObject({ name: 'InvalidOrder' });
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
    expect(JSON.stringify(logger.entries)).not.toContain('ada@example.com');
  });
});
