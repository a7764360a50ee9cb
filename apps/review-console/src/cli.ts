import { ConfigError, startReviewConsole, type ReviewConsole, type StartOptions } from './index.js';

/**
 * `review-console --queue-url URL [--sfn-endpoint URL] [--sqs-endpoint URL] [--state-machine-arn ARN]
 *  [--region R] [--host ADDR] [--port N] [--reviewer NAME] [--allowed-host HOST]... [--secure-cookies]`
 */

export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export const HELP = `Usage: review-console --queue-url URL [options]

The human-review console of the order-fulfilment saga: lists the reviews waiting on
the review queue, sends the reviewer's decision (SendTaskSuccess) and shows where the
execution went. Without --sfn-endpoint it talks to AWS with the default credentials.

Options (environment variable in brackets):
  --queue-url URL          the review queue [REVIEW_QUEUE_URL] (required)
  --state-machine-arn ARN  the saga's state machine: its executions can be viewed [STATE_MACHINE_ARN]
  --sfn-endpoint URL       a local Step Functions endpoint, e.g. sfn-local's [SFN_ENDPOINT]
  --sqs-endpoint URL       the SQS endpoint (default: the Step Functions endpoint) [SQS_ENDPOINT]
  --region R               AWS region [AWS_REGION]
  --host ADDR              address to bind (default 127.0.0.1) [REVIEW_CONSOLE_HOST]
  --port N                 port (default 8090; 0 = any free port) [REVIEW_CONSOLE_PORT]
  --reviewer NAME          reviewer name prefilled in the form [REVIEWER, USER]
  --allowed-host HOST      also accept this Host header (a proxy's name:port); repeatable
  --secure-cookies         mark the session cookie Secure (behind a TLS proxy)
  -h, --help               show this help
`;

export class UsageError extends Error {}

export type CliArgs = { help: true } | { help: false; options: StartOptions };

export function parseCliArgs(argv: readonly string[]): CliArgs {
  const options: StartOptions = {};
  const allowedHosts: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return { help: true };
      case '--queue-url':
        options.queueUrl = value();
        break;
      case '--state-machine-arn':
        options.stateMachineArn = value();
        break;
      case '--sfn-endpoint':
        options.sfnEndpoint = value();
        break;
      case '--sqs-endpoint':
        options.sqsEndpoint = value();
        break;
      case '--region':
        options.region = value();
        break;
      case '--host':
        options.host = value();
        break;
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65_535) throw new UsageError(`--port must be an integer from 0 to 65535, got '${v}'`);
        options.port = Number(v);
        break;
      }
      case '--reviewer':
        options.reviewer = value();
        break;
      case '--allowed-host':
        allowedHosts.push(value());
        break;
      case '--secure-cookies':
        options.secureCookies = true;
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (allowedHosts.length > 0) options.allowedHosts = allowedHosts;
  return { help: false, options };
}

/** Runs until SIGINT/SIGTERM (or `signal`). Exit codes: 0 after a clean stop, 1 when it cannot start, 2 on a usage error. */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  options?: { signal?: AbortSignal },
): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`review-console: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let console_: ReviewConsole;
  try {
    console_ = await startReviewConsole({ ...args.options, env, log: (line) => io.stderr.write(`${line}\n`) });
  } catch (e) {
    io.stderr.write(`review-console: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof ConfigError ? 2 : 1;
  }
  io.stdout.write(`review-console listening on ${console_.url}\n`);
  await new Promise<void>((resolve) => {
    if (options?.signal) {
      if (options.signal.aborted) resolve();
      options.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write('review-console: stopping\n');
  await console_.close();
  return 0;
}
