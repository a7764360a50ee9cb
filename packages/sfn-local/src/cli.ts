import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ClockMode } from './clock.js';
import {
  chainResolvers,
  createDynamoDbResolver,
  createEventBridgeResolver,
  createLambdaRegistry,
  createLambdaResolver,
  createMockResolver,
  createOutboxes,
  createSnsResolver,
  createSqsResolver,
  parseMockConfig,
  unknownResourceResolver,
  type MockConfig,
  type OutboxRecord,
} from './integrations/index.js';
import { startSfnLocal, type SfnLocal } from './server.js';
import type { SfnServiceOptions } from './service.js';
import { Journal } from './store/journal.js';

/**
 * `sfn-local [--port 8083] [--host 127.0.0.1] [--time virtual|real] [--seed N] [--data-dir DIR]
 *  [--mock-config FILE --mock-test-case NAME] [--handlers DIR] [--dynamodb-endpoint URL] [--region R]
 *  [--account A] [--fsync]`
 */

export interface CliIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export const HELP = `Usage: sfn-local [options]

A local AWS Step Functions endpoint for @aws-sdk/client-sfn (awsJson1_0 on POST /).
Point a client at it with { endpoint, disableHostPrefix: true }. The queues state
machines send to are served to @aws-sdk/client-sqs on the same endpoint.

Options:
  --port N               port to listen on (default 8083; 0 = any free port)
  --host ADDR            address to bind (default 127.0.0.1)
  --time virtual|real    clock of executions (default virtual: Wait states and
                         retry backoff take no real time)
  --seed N               seed of task tokens, jitter and generated names (default 0)
  --data-dir DIR         persist state machines and executions in DIR; running
                         executions resume after a restart
  --fsync                fsync acknowledged writes to the data folder
  --mock-config FILE     Step Functions Local mock config (MockConfigFile.json)
  --mock-test-case NAME  test case of the mock config to use for every execution
                         (or start executions on <stateMachineArn>#<TestCase>)
  --handlers DIR         register each <name>.mjs / <name>.js in DIR (export
                         'handler') as the Lambda function <name>
  --dynamodb-endpoint URL  serve the dynamodb:getItem/putItem/updateItem/
                         deleteItem Tasks against this DynamoDB endpoint
                         (DynamoDB Local, dynalite)
  --region R             region in ARNs (default us-east-1)
  --account A            account in ARNs (default 123456789012)
  -h, --help             show this help
`;

export interface CliOptions {
  port: number;
  host: string;
  time: ClockMode;
  seed: number;
  dataDir?: string;
  fsync: boolean;
  mockConfig?: string;
  mockTestCase?: string;
  handlers?: string;
  dynamodbEndpoint?: string;
  region: string;
  account: string;
  help: boolean;
}

export class UsageError extends Error {}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {
    port: 8083,
    host: '127.0.0.1',
    time: 'virtual',
    seed: 0,
    fsync: false,
    region: 'us-east-1',
    account: '123456789012',
    help: false,
  };
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
    const int = (min: number, max: number): number => {
      const v = value();
      const n = Number(v);
      if (!/^-?\d+$/.test(v) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${v}'`);
      return n;
    };
    switch (flag) {
      case '-h':
      case '--help':
        opts.help = true;
        break;
      case '--port':
        opts.port = int(0, 65535);
        break;
      case '--host':
        opts.host = value();
        break;
      case '--time': {
        const v = value();
        if (v !== 'virtual' && v !== 'real') throw new UsageError(`--time must be virtual or real, got '${v}'`);
        opts.time = v;
        break;
      }
      case '--seed':
        opts.seed = int(-(2 ** 31), 2 ** 32 - 1);
        break;
      case '--data-dir':
        opts.dataDir = value();
        break;
      case '--fsync':
        opts.fsync = true;
        break;
      case '--mock-config':
        opts.mockConfig = value();
        break;
      case '--mock-test-case':
        opts.mockTestCase = value();
        break;
      case '--handlers':
        opts.handlers = value();
        break;
      case '--dynamodb-endpoint': {
        const v = value();
        if (!/^https?:\/\/[^/]+/.test(v)) throw new UsageError(`--dynamodb-endpoint must be an http(s) URL, got '${v}'`);
        opts.dynamodbEndpoint = v;
        break;
      }
      case '--region':
        opts.region = value();
        break;
      case '--account':
        opts.account = value();
        break;
      default:
        throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (opts.mockTestCase !== undefined && opts.mockConfig === undefined) throw new UsageError('--mock-test-case needs --mock-config');
  return opts;
}

/** Lambda functions from a folder: `<name>.mjs` / `<name>.js` -> function `<name>` (export `handler`). */
function handlerFiles(dir: string): Array<{ name: string; file: string }> {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(mjs|js|cjs)$/.test(e.name))
    .map((e) => ({ name: e.name.replace(/\.(mjs|js|cjs)$/, ''), file: path.resolve(dir, e.name) }));
}

/** Per-execution mock resolvers from a mock config (only for state machines the config lists). */
export function mockResolverFor(config: MockConfig, defaultTestCase: string | undefined): NonNullable<SfnServiceOptions['resolverFor']> {
  return ({ stateMachineName, testCase }) => {
    const chosen = testCase ?? defaultTestCase;
    if (chosen === undefined) return undefined;
    if (!Object.hasOwn(config.StateMachines, stateMachineName)) {
      if (testCase !== undefined) throw new Error(`The mock config has no state machine '${stateMachineName}'`);
      return undefined;
    }
    return createMockResolver(config, { stateMachineName, testCase: chosen });
  };
}

/** Starts the server the options describe (the CLI without its signal handling). */
export async function startFromCli(opts: CliOptions, io: CliIO): Promise<SfnLocal> {
  const registry = createLambdaRegistry();
  if (opts.handlers !== undefined) {
    for (const { name, file } of handlerFiles(opts.handlers)) registry.registerFile(name, file);
  }
  let mockConfig: MockConfig | undefined;
  if (opts.mockConfig !== undefined) {
    mockConfig = parseMockConfig(JSON.parse(readFileSync(opts.mockConfig, 'utf8')) as unknown);
    if (opts.mockTestCase !== undefined) {
      const cases = Object.values(mockConfig.StateMachines).filter((m) => Object.hasOwn(m.TestCases, opts.mockTestCase!));
      if (cases.length === 0) throw new UsageError(`no state machine of ${opts.mockConfig} has the test case '${opts.mockTestCase}'`);
    }
  }
  const journal = opts.dataDir !== undefined ? Journal.open({ dir: opts.dataDir, fsync: opts.fsync }) : undefined;
  const outboxes = createOutboxes();
  if (journal) {
    outboxes.restore(journal.records('outbox') as OutboxRecord[]);
    outboxes.onRecord((record) => journal.append('outbox', record, { durable: record.kind === 'sqs-delete' }));
  }
  const dynamoDb = opts.dynamodbEndpoint !== undefined ? createDynamoDbResolver({ endpoint: opts.dynamodbEndpoint, region: opts.region }) : undefined;
  const resolve = chainResolvers(
    createLambdaResolver(registry),
    ...(dynamoDb ? [dynamoDb] : []),
    createSqsResolver(outboxes),
    createSnsResolver(outboxes),
    createEventBridgeResolver(outboxes),
    unknownResourceResolver,
  );
  const local = await startSfnLocal({
    port: opts.port,
    host: opts.host,
    resolve,
    outboxes,
    clockMode: opts.time,
    seed: opts.seed,
    region: opts.region,
    account: opts.account,
    ...(journal ? { journal } : {}),
    ...(mockConfig ? { resolverFor: mockResolverFor(mockConfig, opts.mockTestCase) } : {}),
  });
  const functions = registry.functionNames();
  io.stdout.write(`sfn-local listening on ${local.endpoint}\n`);
  if (functions.length > 0) io.stdout.write(`  lambda functions: ${functions.join(', ')}\n`);
  if (opts.dataDir !== undefined) io.stdout.write(`  data folder: ${path.resolve(opts.dataDir)}\n`);
  if (opts.dynamodbEndpoint !== undefined) io.stdout.write(`  dynamodb: ${opts.dynamodbEndpoint}\n`);
  if (!dynamoDb) return local;
  return { ...local, close: () => local.close().finally(() => dynamoDb.destroy()) };
}

/**
 * Runs the CLI until SIGINT/SIGTERM (or `signal`), then closes cleanly. Exit codes: 0 after a
 * clean stop, 1 when the server cannot start, 2 on a usage error.
 */
export async function main(argv: readonly string[], io: CliIO, options?: { signal?: AbortSignal }): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`sfn-local: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (opts.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let local: SfnLocal;
  try {
    local = await startFromCli(opts, io);
  } catch (e) {
    io.stderr.write(`sfn-local: ${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof UsageError ? 2 : 1;
  }
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
  io.stdout.write('sfn-local: stopping\n');
  await local.close();
  return 0;
}
