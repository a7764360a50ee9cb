/**
 * Load on the engine's HTTP API, with the saga as deployed (the synthesized definition of
 * cdktf.out/stacks/dev, references resolved as `npm start` does), run by the engine in its own
 * process (`sfn-local` with a data folder) and driven only through @aws-sdk/client-sfn and
 * @aws-sdk/client-sqs, as a client in AWS would be.
 *
 *   npx nx bench @saga/stack-fulfilment      (also runs synth.bench.ts)
 *   node --conditions=@saga/source --import tsx bench/load.bench.ts [--executions=1000]
 *
 * Every order's BookShipment fails with an unknown error, so every execution pauses for human
 * review; a pool of reviewers reads the review queue and answers each with SendTaskSuccess
 * ("compensate"): RefundPayment and ReleaseStock run and the execution ends FAILED
 * OrderFulfillmentFailed. The functions are small local handlers that append each call to a log
 * file, so lost or duplicated work shows; the payment subflows' DynamoDB Tasks run against dynalite
 * (in this process, `--dynamodb-endpoint`), with the stack's tables.
 *
 * 1. 1,000 executions started at once, their reviews answered concurrently: none lost, none
 *    duplicated; p50/p99 of start-to-finish latency; peak RSS of the engine process (VmHWM).
 * 2. The same, but the engine is killed (SIGKILL) once half the StartExecution calls are
 *    acknowledged, then restarted on its data folder: every acknowledged execution is still there,
 *    and those paused on a task token are resumed by answering their review.
 */
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anOrder, createLocalDynamoClient, startDynalite, type DynamoServer } from '@saga/testkit';
import { REPO_ROOT } from '../src/bundles.js';
import { createStackTables } from '../src/local/tables.js';
import { localReferenceValues, onlyResourceOf, readSynthesizedStack, resolveReferences, stringAttribute, synthesizedFile } from '../src/local/terraform.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const EXECUTIONS = Number(process.argv.find((a) => a.startsWith('--executions='))?.split('=')[1] ?? 1000);
const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const here = dirname(fileURLToPath(import.meta.url));
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

// ------------------------------------------------------------------ the deployed definition

const stack = readSynthesizedStack(synthesizedFile(REPO_ROOT, 'dev'));
const references = localReferenceValues(stack, { region: REGION, account: ACCOUNT });
const { resource: machine } = onlyResourceOf(stack, 'aws_sfn_state_machine');
const definition = resolveReferences(stringAttribute(machine, 'definition', 'state machine'), references, 'definition');
const queueUrl = references.get('aws_sqs_queue.review.url')!;
const functionName = (key: string) => references.get(`aws_lambda_function.${key}.function_name`)!;

/** The functions: canned answers, BookShipment always fails with an error no rule knows; each call logged. */
function writeHandlers(dir: string, log: string): void {
  mkdirSync(dir, { recursive: true });
  const handler = (key: string, body: string) =>
    writeFileSync(
      join(dir, `${functionName(key)}.mjs`),
      `import { appendFileSync } from 'node:fs';\nexport async function handler(event) {\n  appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(key)} + ' ' + event.order.orderId + '\\n');\n  ${body}\n}\n`,
    );
  handler('charge-payment', `return { paymentIntentId: 'pi_' + event.order.orderId, amount: 1250, currency: 'gbp', status: 'captured' };`);
  handler('reserve-stock', `return { reservationId: 'rsv_' + event.order.orderId, lines: [{ sku: 'BOOK-1', quantity: 1 }] };`);
  handler('book-shipment', `throw Object.assign(new Error('the carrier answered something nobody expected'), { name: 'CarrierGlitch' });`);
  handler('emit-receipt', `return { receiptId: 'rcp_' + event.order.orderId, eventId: 'evt' };`);
  handler('refund-payment', `return { outcome: 'refunded', paymentIntentId: 'pi_' + event.order.orderId, refundId: 're_' + event.order.orderId };`);
  handler('release-stock', `return { outcome: 'released', reservationId: 'rsv_' + event.order.orderId };`);
  handler(
    'analyze-error',
    `return { source: 'rules', category: 'unknown', retriable: false, likelyCause: 'no rule matched', remediation: ['look at the cause'], confidence: 0.2 };`,
  );
}

const order = (orderId: string) => ({ order: anOrder({ orderId }) });

// ------------------------------------------------------------------ the engine process

interface Engine {
  child: ChildProcess;
  endpoint: string;
  sfn: SFNClient;
  sqs: SQSClient;
}

/** dynalite with the stack's tables, for the payment subflows' dynamodb:* Tasks. */
async function startTables(): Promise<DynamoServer> {
  const server = await startDynalite();
  const client = createLocalDynamoClient(server.endpoint);
  try {
    await createStackTables(client, stack);
  } finally {
    client.destroy();
  }
  return server;
}

async function startEngine(dataDir: string, handlersDir: string, dynamodb: DynamoServer): Promise<Engine> {
  const child = spawn(
    process.execPath,
    [
      ...['--conditions=@saga/source', '--import', 'tsx', join(here, 'engine-child.ts'), '--port', '0', '--data-dir', dataDir],
      ...['--handlers', handlersDir, '--dynamodb-endpoint', dynamodb.endpoint, '--region', REGION, '--account', ACCOUNT],
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the engine exited (${code}) before listening:\n${stderr}`)));
  });
  // Enough sockets for a thousand calls at once, and a timeout so that calls cut by a kill end.
  const requestHandler = { requestTimeout: 30_000, httpAgent: { keepAlive: true, maxSockets: 256 } };
  const sfn = new SFNClient({ endpoint, region: REGION, credentials, maxAttempts: 1, requestHandler });
  const sqs = new SQSClient({ endpoint, region: REGION, credentials, maxAttempts: 1, requestHandler });
  return { child, endpoint, sfn, sqs };
}

async function stopEngine(engine: Engine, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  engine.sfn.destroy();
  engine.sqs.destroy();
  if (engine.child.exitCode !== null || engine.child.signalCode !== null) return;
  const exited = new Promise((r) => engine.child.once('exit', r));
  engine.child.kill(signal);
  await exited;
}

/** Peak resident set of a process (VmHWM), MiB. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function createMachine(engine: Engine): Promise<string> {
  const created = await engine.sfn.send(
    new CreateStateMachineCommand({ name: stringAttribute(machine, 'name', 'state machine'), definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/load` }),
  );
  return created.stateMachineArn!;
}

/**
 * Reviewers: read the review queue and answer every review with SendTaskSuccess("compensate"),
 * then delete the message. Returns the answered execution ARNs (a duplicate answer would show).
 */
function startReviewers(engine: Engine, count: number): { answered: string[]; stop: () => Promise<void> } {
  const answered: string[] = [];
  let running = true;
  const reviewer = async () => {
    while (running) {
      let messages;
      try {
        messages = (await engine.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
      } catch {
        if (!running) return;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      await Promise.all(
        messages.map(async (m) => {
          const body = JSON.parse(m.Body!) as { taskToken: string; executionArn: string };
          const decision = { outcome: 'compensate', reviewer: 'load-bench', decidedAt: new Date().toISOString() };
          await engine.sfn.send(new SendTaskSuccessCommand({ taskToken: body.taskToken, output: JSON.stringify(decision) }));
          answered.push(body.executionArn);
          await engine.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
        }),
      );
    }
  };
  const all = Array.from({ length: count }, reviewer);
  return {
    answered,
    stop: async () => {
      running = false;
      await Promise.allSettled(all);
    },
  };
}

/** Every execution of the machine, with status and error. */
async function listAll(engine: Engine, stateMachineArn: string) {
  const all: Array<{ executionArn: string; status: string }> = [];
  let nextToken: string | undefined;
  do {
    const page = await engine.sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    for (const e of page.executions ?? []) all.push({ executionArn: e.executionArn!, status: e.status! });
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const logLines = (file: string) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
const duplicates = (lines: string[]) => lines.length - new Set(lines).size;

// ------------------------------------------------------------------ 1. concurrent load

async function concurrentLoad(work: string, tables: DynamoServer) {
  const log = join(work, 'calls.log');
  writeHandlers(join(work, 'handlers'), log);
  const engine = await startEngine(join(work, 'data'), join(work, 'handlers'), tables);
  try {
    const stateMachineArn = await createMachine(engine);
    const reviewers = startReviewers(engine, 8);
    const started = new Map<string, number>();
    const finished = new Map<string, number>();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: EXECUTIONS }, async (_, i) => {
        const name = `load-${i}`;
        const at = performance.now();
        const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(order(name)) }));
        started.set(executionArn!, at);
      }),
    );
    const startedMs = performance.now() - t0;
    // Watch the ends: poll DescribeExecution of the executions still running.
    const deadline = Date.now() + 300_000;
    while (finished.size < EXECUTIONS && Date.now() < deadline) {
      const pending = [...started.keys()].filter((arn) => !finished.has(arn));
      await Promise.all(
        pending.map(async (executionArn) => {
          const d = await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
          if (d.status !== 'RUNNING') finished.set(executionArn, performance.now());
        }),
      );
      if (finished.size < EXECUTIONS) await new Promise((r) => setTimeout(r, 25));
    }
    const wallMs = performance.now() - t0;
    await reviewers.stop();
    const listed = await listAll(engine, stateMachineArn);
    const latencies = [...finished].map(([arn, end]) => end - started.get(arn)!).sort((a, b) => a - b);
    const calls = logLines(log);
    return {
      executions: EXECUTIONS,
      acknowledged: started.size,
      listed: listed.length,
      endedCompensated: listed.filter((e) => e.status === 'FAILED').length,
      reviewsAnswered: reviewers.answered.length,
      duplicateAnswers: duplicates(reviewers.answered),
      refunds: calls.filter((c) => c.startsWith('refund-payment ')).length,
      duplicateCalls: duplicates(calls),
      startAllMs: startedMs,
      wallMs,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1)!,
      enginePeakRssMiB: peakRssMiB(engine.child.pid!),
    };
  } finally {
    await stopEngine(engine);
  }
}

// ------------------------------------------------------------------ 2. kill mid-batch, restart

async function killAndRestart(work: string, tables: DynamoServer) {
  const log = join(work, 'calls.log');
  writeHandlers(join(work, 'handlers'), log);
  const data = join(work, 'data');
  let engine = await startEngine(data, join(work, 'handlers'), tables);
  const stateMachineArn = await createMachine(engine);
  const acknowledged: string[] = [];
  let killed = false;
  const killAt = Math.floor(EXECUTIONS / 2);
  const calls = Promise.allSettled(
    Array.from({ length: EXECUTIONS }, async (_, i) => {
      const name = `crash-${i}`;
      const { executionArn } = await engine.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(order(name)) }));
      acknowledged.push(executionArn!);
      if (acknowledged.length === killAt && !killed) {
        killed = true;
        engine.child.kill('SIGKILL');
      }
    }),
  );
  // The calls in flight at the kill fail (or time out); those never acknowledged do not count.
  await Promise.race([calls, new Promise((r) => setTimeout(r, 35_000))]);
  await stopEngine(engine, 'SIGKILL');
  const t0 = performance.now();
  engine = await startEngine(data, join(work, 'handlers'), tables);
  const restartMs = performance.now() - t0;
  try {
    const missing: string[] = [];
    await Promise.all(
      acknowledged.map(async (executionArn) => {
        try {
          await engine.sfn.send(new DescribeExecutionCommand({ executionArn }));
        } catch {
          missing.push(executionArn);
        }
      }),
    );
    const reviewers = startReviewers(engine, 8);
    const deadline = Date.now() + 300_000;
    let listed = await listAll(engine, stateMachineArn);
    while (listed.some((e) => e.status === 'RUNNING') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      listed = await listAll(engine, stateMachineArn);
    }
    await reviewers.stop();
    const calls = logLines(log);
    const refunds = calls.filter((c) => c.startsWith('refund-payment '));
    return {
      acknowledgedBeforeKill: acknowledged.length,
      foundAfterRestart: acknowledged.length - missing.length,
      listedAfterRestart: listed.length,
      resumedFromReview: reviewers.answered.length,
      stillRunning: listed.filter((e) => e.status === 'RUNNING').length,
      endedCompensated: listed.filter((e) => e.status === 'FAILED').length,
      refundCalls: refunds.length,
      repeatedRefundCalls: duplicates(refunds),
      restartMs,
    };
  } finally {
    await stopEngine(engine);
  }
}

// ------------------------------------------------------------------ run

const work = mkdtempSync(join(tmpdir(), 'saga-load-'));
const tables = await startTables();
try {
  console.log(`load: ${EXECUTIONS} executions of the synthesized fulfilment saga on the engine process (HTTP API, client-sfn + client-sqs)\n`);
  const load = await concurrentLoad(join(work, 'load'), tables);
  console.log('1. concurrent: started at once, reviews answered by 8 concurrent reviewers');
  console.log(`   acknowledged ${load.acknowledged}/${load.executions} · listed ${load.listed} · ended FAILED(OrderFulfillmentFailed) ${load.endedCompensated}`);
  console.log(`   reviews answered ${load.reviewsAnswered} (duplicates ${load.duplicateAnswers}) · refunds ${load.refunds} · duplicated function calls ${load.duplicateCalls}`);
  console.log(`   all started in ${load.startAllMs.toFixed(0)} ms · all ended in ${(load.wallMs / 1000).toFixed(1)} s`);
  console.log(`   start-to-finish latency p50 ${load.p50.toFixed(0)} ms · p99 ${load.p99.toFixed(0)} ms · max ${load.max.toFixed(0)} ms`);
  console.log(`   engine peak RSS ${load.enginePeakRssMiB.toFixed(0)} MiB`);
  const lostOrDuplicated = load.listed !== load.executions || load.endedCompensated !== load.executions || load.duplicateAnswers > 0 || load.duplicateCalls > 0 || load.refunds !== load.executions;
  console.log(`   verdict: ${lostOrDuplicated ? 'LOST OR DUPLICATED WORK' : 'none lost, none duplicated'}\n`);

  const crash = await killAndRestart(join(work, 'crash'), tables);
  console.log(`2. kill -9 after ${crash.acknowledgedBeforeKill} acknowledged StartExecution calls, restart on the data folder (${crash.restartMs.toFixed(0)} ms to listen)`);
  console.log(`   acknowledged executions found after restart ${crash.foundAfterRestart}/${crash.acknowledgedBeforeKill} · listed ${crash.listedAfterRestart}`);
  console.log(`   resumed by answering their review ${crash.resumedFromReview} · ended FAILED(OrderFulfillmentFailed) ${crash.endedCompensated} · still running ${crash.stillRunning}`);
  console.log(`   refund calls ${crash.refundCalls} (repeated: ${crash.repeatedRefundCalls}; a step cut by the kill runs again: at-least-once, the functions are idempotent)`);
  console.log(`   verdict: ${crash.foundAfterRestart === crash.acknowledgedBeforeKill && crash.stillRunning === 0 ? 'nothing acknowledged lost, every paused execution resumed' : 'ACKNOWLEDGED WORK LOST OR STUCK'}`);
} finally {
  await tables.close();
  rmSync(work, { recursive: true, force: true });
}
