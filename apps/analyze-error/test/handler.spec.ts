import { BedrockStub } from '@saga/testkit';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODEL_ID, analyzeInput } from './fixtures.js';

// The deployed entry point, configured only through the environment as in Lambda: the Bedrock client
// built at cold start (default HTTP/2 handler) reaches the stub through AWS_ENDPOINT_URL_BEDROCK_RUNTIME.

describe('handler.ts', () => {
  let stub: BedrockStub;
  const written: string[] = [];

  beforeAll(async () => {
    stub = new BedrockStub();
    const { endpoint } = await stub.start();
    vi.stubEnv('BEDROCK_MODEL_ID', MODEL_ID);
    vi.stubEnv('AWS_ENDPOINT_URL_BEDROCK_RUNTIME', endpoint);
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await stub.close();
  });

  it('analyses with Bedrock through the deployed entry point and logs PII-free lines', async () => {
    const { handler } = await import('../src/handler.js');
    const context = { functionName: 'analyze-error', awsRequestId: 'req-7' } as Context;
    const input = analyzeInput('CarrierResponseInvalid', {
      errorType: 'CarrierResponseInvalid',
      errorMessage: 'carrier sent <html>Dear Ada Lovelace (ada@example.com, card 4111 1111 1111 1111)</html>',
    });
    const result = await handler(input, context);
    expect(result).toMatchObject({ source: 'bedrock', modelId: MODEL_ID, retriable: false });
    expect(stub.requests()).toHaveLength(1);
    expect(stub.requests()[0]?.httpVersion).toBe('2.0');
    const body = stub.requests()[0]?.body ?? '';
    for (const value of ['ada@example.com', '4111 1111 1111 1111']) expect(body).not.toContain(value);

    const lines = written.join('').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({
      level: 'INFO',
      service: 'analyze-error',
      message: 'error analysed',
      orderId: 'ord-2026-0042',
      source: 'bedrock',
      function_request_id: 'req-7',
    });
    for (const value of ['ada@example.com', '4111 1111 1111 1111', 'Dear Ada']) expect(written.join('')).not.toContain(value);
  });
});
