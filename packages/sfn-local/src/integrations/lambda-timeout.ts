import { LambdaRuntimeErrors } from '@saga/asl';
import { StatesError } from '../errors.js';
import type { TaskInvocation } from './types.js';

/** What Lambda's Node.js 20+ runtimes report for a function stopped at its timeout. */
const FUNCTION_TIMED_OUT = LambdaRuntimeErrors.Timedout;

/**
 * A Lambda function's own timeout, on the execution's clock. Past it the function is stopped and
 * fails as Lambda reports it: `Sandbox.Timedout`, which the Task sees as the function's error (so a
 * Task whose TimeoutSeconds is longer than the function's timeout never raises States.Timeout for
 * it, as on AWS).
 *
 * In virtual time the clock stands still while the handler works and moves only while it sleeps on
 * it, so the timeout is met in `context.sleep`: a sleep that reaches the deadline fails instead of
 * waking. In real time a timer runs alongside the handler. Either way a handler that swallows the
 * failure and returns anyway is still failed: it has been stopped.
 */
export class FunctionTimeout {
  readonly deadline: number;
  private stopped = false;

  constructor(
    private readonly invocation: TaskInvocation,
    private readonly timeoutMs: number,
    /** When the function started, on the execution's clock. */
    startedAt: number,
    /** The invocation's request id (made on first use). */
    private readonly requestId: () => string,
  ) {
    this.deadline = startedAt + timeoutMs;
  }

  /** The error of a function stopped at its timeout, shaped as Lambda's error payload. */
  error(): StatesError {
    const errorMessage = `RequestId: ${this.requestId()} Error: Task timed out after ${(this.timeoutMs / 1000).toFixed(2)} seconds`;
    return new StatesError(FUNCTION_TIMED_OUT, JSON.stringify({ errorType: FUNCTION_TIMED_OUT, errorMessage }));
  }

  /** The handler's sleep on the execution's clock: rejects with the timeout when the deadline comes first. */
  sleep(ms: number): Promise<void> {
    const left = this.deadline - this.invocation.now();
    if (ms < left) return this.invocation.sleep(ms);
    return this.invocation.sleep(Math.max(0, left)).then(() => {
      this.stopped = true;
      throw this.error();
    });
  }

  /** Whether the function ran into its timeout (its result, if any, no longer counts). */
  get expired(): boolean {
    return this.stopped;
  }

  /**
   * What to await for the handler: in real time its result raced against a timer; in virtual time
   * the result itself (the clock can only pass the deadline inside `sleep`).
   */
  bound<T>(running: T | PromiseLike<T>): T | PromiseLike<T> {
    return this.invocation.realTime ? this.race(running) : running;
  }

  private async race<T>(running: T | PromiseLike<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.stopped = true;
        reject(this.error());
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([running, stopped]);
    } finally {
      clearTimeout(timer);
    }
  }
}
