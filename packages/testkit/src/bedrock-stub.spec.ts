import http2 from 'node:http2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BedrockStub, DEFAULT_STUB_TOOL_INPUT, bedrockStubResponse, startBedrockStub } from './bedrock-stub.js';

const MODEL = 'eu.anthropic.claude-haiku-4-5-20251001-v1:0';
const converseBody = {
  messages: [{ role: 'user', content: [{ text: 'Analyse this error' }] }],
  system: [{ text: 'You are an analyst.' }],
  inferenceConfig: { maxTokens: 400, temperature: 0 },
  toolConfig: {
    tools: [{ toolSpec: { name: 'other_tool', inputSchema: { json: { type: 'object' } } } }, { toolSpec: { name: 'record_error_analysis', inputSchema: { json: { type: 'object' } } } }],
    toolChoice: { tool: { name: 'record_error_analysis' } },
  },
};

interface ConverseReply {
  output: { message: { role: string; content: Array<{ toolUse?: { toolUseId: string; name: string; input: unknown }; text?: string }> } };
  stopReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

describe('BedrockStub', () => {
  let stub: BedrockStub;
  let endpoint: string;

  beforeEach(async () => {
    stub = new BedrockStub();
    ({ endpoint } = await stub.start());
  });
  afterEach(async () => {
    await stub.close();
  });

  const converse = (body: unknown = converseBody, model = MODEL, init: RequestInit = {}) =>
    fetch(`${endpoint}/model/${encodeURIComponent(model)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...init,
    });

  it('answers Converse with the forced tool and logs the exact body', async () => {
    const res = await converse();
    expect(res.status).toBe(200);
    const reply = (await res.json()) as ConverseReply;
    expect(reply.stopReason).toBe('tool_use');
    expect(reply.output.message.role).toBe('assistant');
    const block = reply.output.message.content[0]?.toolUse;
    expect(block?.name).toBe('record_error_analysis');
    expect(block?.toolUseId).toMatch(/^tooluse_/);
    expect(block?.input).toEqual(DEFAULT_STUB_TOOL_INPUT);
    expect(reply.usage.totalTokens).toBe(reply.usage.inputTokens + reply.usage.outputTokens);
    const [log] = stub.requests();
    expect(log).toMatchObject({ method: 'POST', modelId: MODEL, operation: 'converse', httpVersion: '1.1', outcome: 200 });
    expect(log?.body).toBe(JSON.stringify(converseBody));
    expect(log?.json).toEqual(converseBody);
  });

  it('uses the first tool when none is forced, and text when there is no tool', async () => {
    const { toolChoice: _drop, ...toolConfig } = converseBody.toolConfig;
    const first = (await (await converse({ ...converseBody, toolConfig })).json()) as ConverseReply;
    expect(first.output.message.content[0]?.toolUse?.name).toBe('other_tool');
    const { toolConfig: _none, ...plain } = converseBody;
    const text = (await (await converse(plain)).json()) as ConverseReply;
    expect(text.stopReason).toBe('end_turn');
    expect(JSON.parse(text.output.message.content[0]?.text ?? '')).toEqual(DEFAULT_STUB_TOOL_INPUT);
  });

  it('computes the default tool input from the request when configured', async () => {
    const custom = new BedrockStub({ toolInput: (req: unknown) => ({ echoed: (req as typeof converseBody).inferenceConfig.maxTokens }) });
    const { endpoint: e, close } = await custom.start();
    try {
      const res = await fetch(`${e}/model/m/converse`, { method: 'POST', body: JSON.stringify(converseBody) });
      expect(((await res.json()) as ConverseReply).output.message.content[0]?.toolUse?.input).toEqual({ echoed: 400 });
    } finally {
      await close();
    }
  });

  it('plays scripted answers and errors in order', async () => {
    stub.script([
      'ThrottlingException',
      { kind: 'error', error: 'ValidationException', message: 'bad schema' },
      'ModelTimeoutException',
      'AccessDeniedException',
      { kind: 'tool', input: { category: 'transient' } },
      { kind: 'text', text: 'I refuse' },
      { kind: 'raw', status: 200, body: 'not json', contentType: 'text/plain' },
    ]);
    const statuses: Array<[number, string | null]> = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await converse();
      statuses.push([res.status, res.headers.get('x-amzn-errortype')]);
      expect(await res.json()).toHaveProperty('message');
    }
    expect(statuses).toEqual([
      [429, 'ThrottlingException'],
      [400, 'ValidationException'],
      [408, 'ModelTimeoutException'],
      [403, 'AccessDeniedException'],
    ]);
    expect(((await (await converse()).json()) as ConverseReply).output.message.content[0]?.toolUse?.input).toEqual({ category: 'transient' });
    expect(((await (await converse()).json()) as ConverseReply).output.message.content[0]?.text).toBe('I refuse');
    expect(await (await converse()).text()).toBe('not json');
    expect(((await (await converse()).json()) as ConverseReply).output.message.content[0]?.toolUse?.input).toEqual(DEFAULT_STUB_TOOL_INPUT);
  });

  it('answers `always` until cleared', async () => {
    stub.always('ServiceUnavailableException');
    expect((await converse()).status).toBe(503);
    expect((await converse()).status).toBe(503);
    stub.always(undefined);
    expect((await converse()).status).toBe(200);
  });

  it('honours an aborting client on a slow answer', async () => {
    stub.script([{ kind: 'slow', delayMs: 5_000 }]);
    await expect(converse(converseBody, MODEL, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.requests()[0]?.outcome).toBe('aborted');
  });

  it('answers a slow request after its delay', async () => {
    stub.script([{ kind: 'slow', delayMs: 120, then: 'ThrottlingException' }]);
    const started = Date.now();
    expect((await converse()).status).toBe(429);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('drops the connection', async () => {
    stub.script([{ kind: 'drop' }]);
    await expect(converse()).rejects.toThrow(/fetch failed/);
    expect(stub.requests()[0]?.outcome).toBe('dropped');
  });

  it('validates the request and the model id', async () => {
    expect((await converse({ nope: 1 })).status).toBe(400);
    expect((await converse('{')).status).toBe(400);
    expect((await fetch(`${endpoint}/model/m/invoke`, { method: 'POST', body: '{}' })).status).toBe(404);
    const strict = new BedrockStub({ models: [MODEL] });
    const { endpoint: e, close } = await strict.start();
    try {
      const bad = await fetch(`${e}/model/anthropic.claude-3-haiku/converse`, { method: 'POST', body: JSON.stringify(converseBody) });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('x-amzn-errortype')).toBe('ValidationException');
      expect((await fetch(`${e}/model/${encodeURIComponent(MODEL)}/converse`, { method: 'POST', body: JSON.stringify(converseBody) })).status).toBe(200);
    } finally {
      await close();
    }
  });

  it('speaks cleartext HTTP/2 on the same port', async () => {
    const session = http2.connect(endpoint);
    try {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(MODEL)}/converse`, 'content-type': 'application/json' });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => (status = Number(headers[':status'])));
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => resolve({ status, body }));
        stream.on('error', reject);
        stream.end(JSON.stringify(converseBody));
      });
      expect(reply.status).toBe(200);
      expect((JSON.parse(reply.body) as ConverseReply).stopReason).toBe('tool_use');
      expect(stub.requests()[0]?.httpVersion).toBe('2.0');
      expect(stub.requests()[0]?.headers).not.toHaveProperty(':path');
    } finally {
      session.close();
    }
  });

  it('closes with open HTTP/2 sessions and pending slow answers', async () => {
    stub.always({ kind: 'slow', delayMs: 60_000 });
    const session = http2.connect(endpoint);
    session.on('error', () => undefined);
    const stream = session.request({ ':method': 'POST', ':path': '/model/m/converse' });
    stream.on('error', () => undefined);
    stream.end(JSON.stringify(converseBody));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await stub.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    session.destroy();
  });

  describe('admin endpoint', () => {
    const post = (path: string, payload: unknown) =>
      fetch(`${endpoint}/__admin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

    it('scripts answers and lists requests', async () => {
      const pending = await (await post('faults', { script: ['ThrottlingException', { kind: 'tool', input: { a: 1 } }], always: null })).json();
      expect(pending).toEqual({ script: [{ kind: 'error', error: 'ThrottlingException' }, { kind: 'tool', input: { a: 1 } }] });
      expect((await converse()).status).toBe(429);
      expect((await converse()).status).toBe(200);
      const requests = (await (await fetch(`${endpoint}/__admin/requests`)).json()) as Array<{ body: string }>;
      expect(requests).toHaveLength(2);
      expect(requests[0]?.body).toBe(JSON.stringify(converseBody));
      await post('faults', { always: 'InternalServerException' });
      expect((await converse()).status).toBe(500);
      await fetch(`${endpoint}/__admin/faults`, { method: 'DELETE' });
      expect((await converse()).status).toBe(200);
      await post('reset', {});
      expect(stub.requests()).toEqual([]);
    });

    it('rejects unreadable specs', async () => {
      expect((await post('faults', { script: ['NoSuchException'] })).status).toBe(400);
      expect((await post('faults', { script: [{ kind: 'slow' }] })).status).toBe(400);
      expect((await post('faults', { script: {} })).status).toBe(400);
    });
  });
});

describe('bedrockStubResponse', () => {
  it('normalises error shorthands and nested slow answers', () => {
    expect(bedrockStubResponse('ThrottlingException')).toEqual({ kind: 'error', error: 'ThrottlingException' });
    expect(bedrockStubResponse({ kind: 'slow', delayMs: 1, then: 'ModelTimeoutException' })).toEqual({
      kind: 'slow',
      delayMs: 1,
      then: { kind: 'error', error: 'ModelTimeoutException' },
    });
    expect(() => bedrockStubResponse({ kind: 'nope' } as never)).toThrow(/unknown kind/);
  });
});

describe('startBedrockStub', () => {
  it('returns a started stub with endpoint, port and close', async () => {
    const stub = await startBedrockStub();
    try {
      expect(stub.endpoint).toBe(`http://127.0.0.1:${stub.port}`);
      expect(stub.url).toBe(stub.endpoint);
    } finally {
      await stub.close();
    }
    expect(() => stub.endpoint).toThrow(/not started/);
  });
});
