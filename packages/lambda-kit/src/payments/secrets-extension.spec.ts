import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from './config.js';
import { extensionSecretReader, SecretsExtensionError } from './secrets-extension.js';

// The AWS Parameters and Secrets Lambda Extension, as far as the reader sees it: one HTTP endpoint on
// localhost that answers `GET /secretsmanager/get?secretId=…` with GetSecretValue's output as JSON.

interface Seen {
  method: string | undefined;
  path: string | undefined;
  token: string | string[] | undefined;
}

let server: Server | undefined;

async function fakeExtension(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    seen.push({ method: req.method, path: req.url, token: req.headers['x-aws-parameters-secrets-token'] });
    answer(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, 'localhost', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

function json(status: number, body: unknown) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
}

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:saga/stripe-api-key-AbC123';

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('extensionSecretReader', () => {
  it('GETs /secretsmanager/get with the secret id and the session token, and returns SecretString', async () => {
    const ext = await fakeExtension(json(200, { ARN, Name: 'saga/stripe-api-key', SecretString: 'sk_test_fromExtension', VersionId: 'v1' }));
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 'session-token' });
    await expect(read(ARN)).resolves.toBe('sk_test_fromExtension');
    expect(ext.seen).toEqual([{ method: 'GET', path: `/secretsmanager/get?secretId=${encodeURIComponent(ARN)}`, token: 'session-token' }]);
  });

  it('returns undefined for a secret without SecretString (a binary secret)', async () => {
    const ext = await fakeExtension(json(200, { ARN, SecretBinary: 'AAEC' }));
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' });
    await expect(read(ARN)).resolves.toBeUndefined();
  });

  it('names a failure after the Secrets Manager error type and never quotes the answer', async () => {
    const detail = 'User: arn:aws:sts::123456789012:assumed-role/x is not authorized to perform: secretsmanager:GetSecretValue';
    const ext = await fakeExtension(json(400, { __type: 'AccessDeniedException', message: detail }));
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' });
    const error = await read(ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretsExtensionError);
    expect(error).toMatchObject({ name: 'AccessDeniedException', statusCode: 400 });
    expect((error as Error).message).toBe('GetSecretValue through the Parameters and Secrets Lambda Extension failed: HTTP 400 AccessDeniedException');
    expect((error as Error).message).not.toContain('not authorized');
  });

  it('a failure without a typed answer is a SecretsExtensionError with the status', async () => {
    const ext = await fakeExtension((_req, res) => res.writeHead(500).end('internal error'));
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' });
    await expect(read(ARN)).rejects.toMatchObject({ name: 'SecretsExtensionError', statusCode: 500, message: expect.stringContaining('HTTP 500') });
  });

  it('a 200 that is not JSON is an error that does not quote the body', async () => {
    const ext = await fakeExtension((_req, res) => res.writeHead(200).end('sk_live_notJson'));
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' });
    const error = (await read(ARN).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SecretsExtensionError);
    expect(error.message).not.toContain('sk_live');
  });

  it('times out', async () => {
    const ext = await fakeExtension(() => undefined); // never answers
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' }, { timeoutMs: 100 });
    await expect(read(ARN)).rejects.toMatchObject({ name: 'SecretsExtensionError', message: expect.stringContaining('within 100 ms') });
  });

  it('without the layer (nothing listening) says so, as a configuration error', async () => {
    const ext = await fakeExtension(json(200, {}));
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const read = extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(ext.port), AWS_SESSION_TOKEN: 't' });
    const error = await read(ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/layer attached/);
  });

  it('needs AWS_SESSION_TOKEN (checked on use, so local runs with STRIPE_SECRET_KEY need none)', async () => {
    const read = extensionSecretReader({});
    await expect(read(ARN)).rejects.toThrow(ConfigurationError);
    await expect(read(ARN)).rejects.toThrow(/AWS_SESSION_TOKEN/);
  });

  it.each(['0', '65536', 'http', '27 73'])('refuses PARAMETERS_SECRETS_EXTENSION_HTTP_PORT=%s at creation', (port) => {
    expect(() => extensionSecretReader({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: port })).toThrow(ConfigurationError);
  });
});
