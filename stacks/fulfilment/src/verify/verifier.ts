import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../bundles.js';
import { startLocalStack, type LocalStack } from '../local/local-stack.js';
import { FaultInjector } from './faults.js';
import { ScheduleRunner, type RunnerOptions } from './runner.js';
import { readWorkflowModel, type WorkflowModel } from './sites.js';

/**
 * The synthesized stack on the local engine (the apps' real bundles, DynamoDB Local, the Stripe-wire
 * server, the carrier stub), every function wrapped by the fault injector, nothing kept on disk.
 */

export interface VerifierOptions {
  /** Where `cdktf.out` is. @default this checkout */
  readonly root?: string;
  /** @default 'dev' */
  readonly stackName?: string;
  /** The engine's seed (retry jitter, tokens). @default 1 */
  readonly seed?: number;
  readonly log?: (line: string) => void;
}

export interface Verifier {
  readonly stack: LocalStack;
  readonly model: WorkflowModel;
  readonly injector: FaultInjector;
  /** A runner whose orders are `<idPrefix>-<n>`. */
  runner(options: RunnerOptions): ScheduleRunner;
  close(): Promise<void>;
}

export async function startVerifier(options: VerifierOptions = {}): Promise<Verifier> {
  const root = options.root ?? REPO_ROOT;
  const stackName = options.stackName ?? 'dev';
  const model = readWorkflowModel(root, stackName);
  const injector = new FaultInjector(model);
  // The functions run in this process; on a Node older than Lambda's the SDK's upgrade notice is noise.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const stack = await startLocalStack({
    dataDir: join(tmpdir(), 'saga-verify-unused'),
    ephemeral: true,
    root,
    stackName,
    seed: options.seed ?? 1,
    functionLogLevel: 'SILENT',
    wrapFunction: injector.wrap,
    ...(options.log ? { log: options.log } : {}),
  });
  const runners: ScheduleRunner[] = [];
  return {
    stack,
    model,
    injector,
    runner(runnerOptions) {
      const r = new ScheduleRunner(stack, model, injector, runnerOptions);
      runners.push(r);
      return r;
    },
    async close() {
      for (const r of runners) r.close();
      await stack.close();
    },
  };
}
