import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../evaluation/json.js';

/** An error of the SendTask* API, named as AWS names it (`TaskTimedOut`, `InvalidToken`, ...). */
export class CallbackApiError extends Error {
  constructor(
    override readonly name: 'TaskDoesNotExist' | 'InvalidToken' | 'TaskTimedOut' | 'InvalidOutput',
    message: string,
  ) {
    super(message);
  }
}

/** A task waiting for its token. */
export interface CallbackWaiter {
  succeed(output: JsonValue): void;
  fail(error: StatesError): void;
  heartbeat(): void;
}

const TOKEN_PATTERN = /^[A-Za-z0-9+/=_-]{16,2048}$/;

/**
 * The task tokens of every open callback task. The engine opens a token when a
 * `.waitForTaskToken` task starts and closes it when the task ends in any way; SendTaskSuccess,
 * SendTaskFailure and SendTaskHeartbeat answer through here with AWS's errors.
 */
export class CallbackRegistry {
  private readonly open = new Map<string, CallbackWaiter>();
  private readonly closed = new Set<string>();

  /** Opens `token` for `waiter`; the returned function closes it. */
  register(token: string, waiter: CallbackWaiter): () => void {
    this.open.set(token, waiter);
    this.closed.delete(token);
    return () => {
      if (this.open.delete(token)) this.closed.add(token);
    };
  }

  /** Records `token` as closed (a task that ended before a restart): it answers TaskTimedOut. */
  markClosed(token: string): void {
    this.open.delete(token);
    this.closed.add(token);
  }

  isOpen(token: string): boolean {
    return this.open.has(token);
  }

  /** Tokens currently awaited. */
  openTokens(): string[] {
    return [...this.open.keys()];
  }

  succeed(token: string, output: string): void {
    const waiter = this.take(token);
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(output) as JsonValue;
    } catch {
      throw new CallbackApiError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
      throw new CallbackApiError('InvalidOutput', `Invalid Output: the output nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    this.open.delete(token);
    this.closed.add(token);
    waiter.succeed(parsed);
  }

  fail(token: string, error?: string, cause?: string): void {
    const waiter = this.take(token);
    this.open.delete(token);
    this.closed.add(token);
    waiter.fail(new StatesError(error ?? 'null', cause));
  }

  heartbeat(token: string): void {
    this.take(token).heartbeat();
  }

  private take(token: string): CallbackWaiter {
    const waiter = this.open.get(token);
    if (waiter) return waiter;
    if (this.closed.has(token)) {
      throw new CallbackApiError('TaskTimedOut', 'Task Timed Out: the task token has expired or the task is already closed');
    }
    if (!TOKEN_PATTERN.test(token)) throw new CallbackApiError('InvalidToken', `Invalid Token: '${token.slice(0, 64)}'`);
    throw new CallbackApiError('TaskDoesNotExist', 'Task Does Not Exist: no open task has this token');
  }
}
