import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  type ExecutionStatus,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import type { LocalStack } from './local-stack.js';
import type { Outcome, PlannedOrder } from './scenarios.js';

/**
 * Runs orders through the deployed state machine the way a client does (StartExecution through
 * @aws-sdk/client-sfn against the engine's endpoint) and waits until each has ended or is paused
 * for a person (its review message is on the review queue). Faults are arranged on the stand-ins
 * first (the carrier's script for the order; a declining card and a SKU out of stock are in the order).
 */

export interface OrderRun {
  readonly planned: PlannedOrder;
  readonly executionArn: string;
  /** The execution's status when the run stopped waiting. */
  readonly status: ExecutionStatus;
  readonly error?: string;
  /** What the run observed, in the saga's words (`unexpected`: it ended any other way). */
  readonly outcome: Outcome | 'unexpected';
  /** Task attempts beyond the first, summed over the states. */
  readonly retries: number;
  /** The states entered, in order, repeats collapsed (`BookShipment ×3` when retried). */
  readonly path: readonly string[];
  /** State transitions, retries included: what Standard workflows bill. */
  readonly transitions: number;
}

export interface BatchOptions {
  /** Executions in flight at once. @default 8 */
  concurrency?: number;
  /** Called after each order settles (`done` of `total`). */
  onProgress?(done: number, total: number, run: OrderRun): void;
  /** Give up waiting on one order after this long (real time). @default 120 s */
  timeoutMs?: number;
}

export async function runBatch(stack: LocalStack, planned: readonly PlannedOrder[], options: BatchOptions = {}): Promise<OrderRun[]> {
  const results = new Array<OrderRun>(planned.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < planned.length) {
      const i = next++;
      results[i] = await runOrder(stack, planned[i]!, options.timeoutMs ?? 120_000);
      options.onProgress?.(++done, planned.length, results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, planned.length) }, worker));
  return results;
}

async function runOrder(stack: LocalStack, planned: PlannedOrder, timeoutMs: number): Promise<OrderRun> {
  const { order, scenario } = planned;
  if (scenario.carrier) stack.carrier.scriptFor(order.orderId, scenario.carrier);
  const executionArn = await start(stack, order.orderId, JSON.stringify({ order }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await stack.sfn.send(new DescribeExecutionCommand({ executionArn }));
    const status = described.status!;
    const awaitingReview = status === 'RUNNING' && reviewPending(stack, executionArn);
    if (status !== 'RUNNING' || awaitingReview || Date.now() > deadline) {
      const history = await fullHistory(stack, executionArn);
      return {
        planned,
        executionArn,
        status,
        ...(described.error ? { error: described.error } : {}),
        outcome: outcomeOf(status, described.error, awaitingReview),
        ...pathOf(history),
      };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** StartExecution named after the order (a rerun of the same batch finds the execution it started). */
async function start(stack: LocalStack, name: string, input: string): Promise<string> {
  try {
    const started = await stack.sfn.send(new StartExecutionCommand({ stateMachineArn: stack.stateMachineArn, name, input }));
    return started.executionArn!;
  } catch (e) {
    if (!(e instanceof ExecutionAlreadyExists)) throw e;
    return stack.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
  }
}

/** Whether the review queue holds this execution's review request (the execution waits on its token). */
export function reviewPending(stack: LocalStack, executionArn: string): boolean {
  return stack.outboxes
    .queue(stack.queueUrl)
    .pending()
    .some((m) => {
      try {
        return (JSON.parse(m.Body) as { executionArn?: string }).executionArn === executionArn;
      } catch {
        return false;
      }
    });
}

export function outcomeOf(status: ExecutionStatus, error: string | undefined, awaitingReview: boolean): Outcome | 'unexpected' {
  if (status === 'SUCCEEDED') return 'succeeded';
  if (status === 'FAILED' && error === 'OrderFulfillmentFailed') return 'compensated';
  if (status === 'RUNNING' && awaitingReview) return 'awaiting review';
  return 'unexpected';
}

async function fullHistory(stack: LocalStack, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The path, retries and transitions of a history. */
export function pathOf(history: readonly HistoryEvent[]): { path: string[]; retries: number; transitions: number } {
  const path: string[] = [];
  // The entered state each Task event belongs to: its name, its place in `path` and its attempts.
  let current: { name: string; index: number; attempts: number } | undefined;
  let retries = 0;
  let transitions = 0;
  for (const e of history) {
    if (e.type?.endsWith('StateEntered')) {
      transitions++;
      const name = e.stateEnteredEventDetails?.name;
      if (name !== undefined) {
        path.push(name);
        current = { name, index: path.length - 1, attempts: 0 };
      }
    } else if ((e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled') && current) {
      current.attempts++;
      if (current.attempts > 1) {
        retries++;
        transitions++;
        path[current.index] = `${current.name} ×${current.attempts}`;
      }
    }
  }
  return { path, retries, transitions };
}
