import { request } from 'node:http';
import { ConfigurationError } from './config.js';

/**
 * Reads a secret's `SecretString` (`undefined` when the secret has none), as Secrets Manager's
 * `GetSecretValue` does. The Lambdas read through the AWS Parameters and Secrets Lambda Extension
 * ({@link extensionSecretReader}); tests and other runtimes can use the SDK (`secretsManagerReader`).
 */
export type SecretReader = (secretId: string) => Promise<string | undefined>;

/** The extension's default port (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` overrides it). */
export const SECRETS_EXTENSION_DEFAULT_PORT = 2773;

/**
 * A failed read through the extension: its HTTP status and, when its answer names one, the Secrets
 * Manager error type (`AccessDeniedException`, `ResourceNotFoundException`, ...). That type becomes
 * the error's `name`, as the SDK's errors are named, so Step Functions and the error analyser see it.
 * The message never quotes the extension's body.
 */
export class SecretsExtensionError extends Error {
  override readonly name: string;
  readonly statusCode: number | undefined;

  constructor(message: string, options: { type?: string; statusCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.type ?? 'SecretsExtensionError';
    this.statusCode = options.statusCode;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** The largest answer accepted: a SecretString is at most 64 KiB, plus the JSON around it. */
const MAX_RESPONSE_BYTES = 256 * 1024;
const AWS_ERROR_TYPE = /^[A-Za-z][A-Za-z0-9]{0,127}$/;

/**
 * Reads secrets through the AWS Parameters and Secrets Lambda Extension (the layer attached to the
 * function): `GET http://localhost:<port>/secretsmanager/get?secretId=<id>` with the header
 * `X-Aws-Parameters-Secrets-Token: $AWS_SESSION_TOKEN`, answered with the `GetSecretValue` output as
 * JSON. No AWS SDK client is bundled for it; the extension calls Secrets Manager (with the function's
 * role) and caches the value. It answers during invocations only, not during the init phase, so call
 * the reader from the handler (the Stripe provider reads on first use).
 *
 * @param env read on each call: `AWS_SESSION_TOKEN` (set by Lambda), `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`
 * @throws {ConfigurationError} (at creation) when `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` is not a port
 */
export function extensionSecretReader(env: Env = process.env, options: { timeoutMs?: number; host?: string } = {}): SecretReader {
  const port = extensionPort(env);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const host = options.host ?? 'localhost';
  return async (secretId) => {
    const token = env['AWS_SESSION_TOKEN'];
    if (!token) {
      throw new ConfigurationError(
        'AWS_SESSION_TOKEN is not set: the Parameters and Secrets Lambda Extension authenticates calls with it (it is set in Lambda; locally use STRIPE_SECRET_KEY)',
      );
    }
    const { statusCode, body } = await get(host, port, `/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, token, timeoutMs);
    if (statusCode !== 200) {
      const type = errorType(body);
      throw new SecretsExtensionError(
        `GetSecretValue through the Parameters and Secrets Lambda Extension failed: HTTP ${statusCode}${type ? ` ${type}` : ''}`,
        { statusCode, ...(type ? { type } : {}) },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new SecretsExtensionError('the Parameters and Secrets Lambda Extension answered with something other than JSON', { statusCode });
    }
    const secretString = (parsed as { SecretString?: unknown } | null)?.SecretString;
    return typeof secretString === 'string' ? secretString : undefined;
  };
}

/** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, or 2773. */
function extensionPort(env: Env): number {
  const raw = env['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT']?.trim();
  if (raw === undefined || raw === '') return SECRETS_EXTENSION_DEFAULT_PORT;
  const port = Number(raw);
  if (!/^[0-9]{1,5}$/.test(raw) || port < 1 || port > 65_535) {
    throw new ConfigurationError('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number (1-65535)');
  }
  return port;
}

/** The Secrets Manager error type in an error answer (`{"__type": "AccessDeniedException", ...}`), if any. */
function errorType(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as Record<string, unknown> | null;
    const raw = json?.['__type'] ?? json?.['Code'] ?? json?.['code'];
    const type = typeof raw === 'string' ? raw.slice(raw.lastIndexOf('#') + 1) : undefined;
    return type !== undefined && AWS_ERROR_TYPE.test(type) ? type : undefined;
  } catch {
    return undefined;
  }
}

function get(host: string, port: number, path: string, token: string, timeoutMs: number): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method: 'GET', headers: { 'X-Aws-Parameters-Secrets-Token': token }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new SecretsExtensionError(`the Parameters and Secrets Lambda Extension answered with more than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new SecretsExtensionError(`the Parameters and Secrets Lambda Extension did not answer within ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof SecretsExtensionError) reject(error);
      else if (error.code === 'ECONNREFUSED') {
        reject(
          new ConfigurationError(
            `nothing listens on ${host}:${port}: is the AWS Parameters and Secrets Lambda Extension layer attached to the function (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT)?`,
          ),
        );
      } else reject(new SecretsExtensionError(`the Parameters and Secrets Lambda Extension could not be reached (${error.code ?? error.name})`, { cause: error }));
    });
    req.end();
  });
}
