/**
 * The console's settings, from options first, then the environment. With an endpoint it talks to
 * a local engine (sfn-local serves Step Functions and SQS on one endpoint); without one, to real
 * AWS with the SDK's default credentials and region.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ReviewConsoleOptions {
  /** The review queue (`REVIEW_QUEUE_URL`). Required. */
  queueUrl?: string;
  /** The saga's state machine (`STATE_MACHINE_ARN`): its executions can be viewed. */
  stateMachineArn?: string;
  /** Step Functions endpoint, e.g. sfn-local's `http://127.0.0.1:8083` (`SFN_ENDPOINT`). Absent: real AWS. */
  sfnEndpoint?: string;
  /** SQS endpoint (`SQS_ENDPOINT`). @default the Step Functions endpoint */
  sqsEndpoint?: string;
  /** `AWS_REGION` / `AWS_DEFAULT_REGION`; with an endpoint @default 'us-east-1', else the SDK's own chain. */
  region?: string;
  /** @default dummy keys with an endpoint (a local engine checks none), else the SDK's default chain */
  credentials?: Credentials;
  /** Address to bind (`REVIEW_CONSOLE_HOST`). @default '127.0.0.1' */
  host?: string;
  /** Port (`REVIEW_CONSOLE_PORT`; 0 = any free port). @default 8090 */
  port?: number;
  /** Extra `Host` header values accepted, e.g. the name a TLS proxy serves the console under. */
  allowedHosts?: readonly string[];
  /** Mark the session cookie `Secure` (when a TLS proxy fronts the console). @default false */
  secureCookies?: boolean;
  /** Reviewer name prefilled in the decision form (`REVIEWER`). @default the OS user */
  reviewer?: string;
  /** Long-poll wait of each ReceiveMessage, 0..20 s. @default 20 */
  pollWaitSeconds?: number;
  /** How long a received review stays hidden from other consumers, s. @default 300 */
  visibilityTimeoutSeconds?: number;
  /**
   * SendTaskHeartbeat for every open review this often, s: it must be under the review state's
   * HeartbeatSeconds (the stack's `review.heartbeatSeconds`, 4 h in dev). @default 600
   */
  heartbeatIntervalSeconds?: number;
}

export interface ConsoleConfig {
  queueUrl: string;
  stateMachineArn: string | undefined;
  sfnEndpoint: string | undefined;
  sqsEndpoint: string | undefined;
  region: string | undefined;
  credentials: Credentials | undefined;
  host: string;
  port: number;
  allowedHosts: readonly string[];
  secureCookies: boolean;
  reviewer: string;
  pollWaitSeconds: number;
  visibilityTimeoutSeconds: number;
  heartbeatIntervalSeconds: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_PORT = 8090;
const LOCAL_REGION = 'us-east-1';
const LOCAL_CREDENTIALS: Credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

type Env = Readonly<Record<string, string | undefined>>;

/** Options over environment over defaults; throws {@link ConfigError} on a missing or bad value. */
export function resolveConfig(options: ReviewConsoleOptions, env: Env = {}): ConsoleConfig {
  const queueUrl = options.queueUrl ?? nonEmpty(env['REVIEW_QUEUE_URL']);
  if (queueUrl === undefined) throw new ConfigError('the review queue URL is required (--queue-url or REVIEW_QUEUE_URL)');
  if (!URL.canParse(queueUrl)) throw new ConfigError(`the review queue URL is not a URL: ${queueUrl}`);
  const sfnEndpoint = options.sfnEndpoint ?? nonEmpty(env['SFN_ENDPOINT']);
  const sqsEndpoint = options.sqsEndpoint ?? nonEmpty(env['SQS_ENDPOINT']) ?? sfnEndpoint;
  for (const endpoint of [sfnEndpoint, sqsEndpoint]) {
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new ConfigError(`an endpoint must be an http(s) URL: ${endpoint}`);
  }
  const local = sfnEndpoint !== undefined;
  const region = options.region ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']) ?? (local ? LOCAL_REGION : undefined);
  const credentials = options.credentials ?? (local ? LOCAL_CREDENTIALS : undefined);
  const port = options.port ?? integer(env['REVIEW_CONSOLE_PORT'], 'REVIEW_CONSOLE_PORT') ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`the port must be 0..65535, got ${port}`);
  const pollWaitSeconds = options.pollWaitSeconds ?? 20;
  if (!Number.isInteger(pollWaitSeconds) || pollWaitSeconds < 0 || pollWaitSeconds > 20) {
    throw new ConfigError(`the poll wait must be 0..20 seconds, got ${pollWaitSeconds}`);
  }
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 300;
  if (!Number.isInteger(visibilityTimeoutSeconds) || visibilityTimeoutSeconds < 1 || visibilityTimeoutSeconds > 43_200) {
    throw new ConfigError(`the visibility timeout must be 1..43200 seconds, got ${visibilityTimeoutSeconds}`);
  }
  const heartbeatIntervalSeconds = options.heartbeatIntervalSeconds ?? 600;
  if (!Number.isInteger(heartbeatIntervalSeconds) || heartbeatIntervalSeconds < 1 || heartbeatIntervalSeconds > 86_400) {
    throw new ConfigError(`the heartbeat interval must be 1..86400 seconds, got ${heartbeatIntervalSeconds}`);
  }
  return {
    queueUrl,
    stateMachineArn: options.stateMachineArn ?? nonEmpty(env['STATE_MACHINE_ARN']),
    sfnEndpoint,
    sqsEndpoint,
    region,
    credentials,
    host: options.host ?? nonEmpty(env['REVIEW_CONSOLE_HOST']) ?? '127.0.0.1',
    port,
    allowedHosts: options.allowedHosts ?? [],
    secureCookies: options.secureCookies ?? false,
    reviewer: options.reviewer ?? nonEmpty(env['REVIEWER']) ?? nonEmpty(env['USER']) ?? '',
    pollWaitSeconds,
    visibilityTimeoutSeconds,
    heartbeatIntervalSeconds,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(value: string | undefined, name: string): number | undefined {
  const v = nonEmpty(value);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${name} must be an integer, got '${v}'`);
  return Number(v);
}
