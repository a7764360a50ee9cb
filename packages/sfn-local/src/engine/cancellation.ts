import type { ExecutionClock } from '../clock.js';

/**
 * What stops a block of states: StopExecution, a failed sibling branch, a timeout. The engine
 * creates one per execution, Parallel branch set and Map run, and every task attempt listens to
 * its scope's one. `AbortController`/`AbortSignal` (an EventTarget) cost several microseconds per
 * listener and a few hundred bytes each, which showed in the profile; this keeps a plain array,
 * and hands out a real `AbortSignal` only to the integrations that ask for one.
 */
export class Cancellation {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<(reason: unknown) => void> | undefined;
  private controller: AbortController | undefined;

  /** Aborts once: later calls are ignored. Listeners run in the order they were added. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
    this.controller?.abort(reason);
  }

  /** Calls `listener` when aborted (at once if already aborted); the result removes it. */
  onAbort(listener: (reason: unknown) => void): () => void {
    if (!this.listen(listener)) return NOOP;
    return () => this.unlisten(listener);
  }

  /**
   * {@link onAbort} without the function that removes the listener (remove it with
   * {@link unlisten}): every plain task attempt listens, and that function was one more closure
   * each. Returns false when already aborted (the listener has been called).
   */
  listen(listener: (reason: unknown) => void): boolean {
    if (this.aborted) {
      listener(this.reason);
      return false;
    }
    (this.listeners ??= []).push(listener);
    return true;
  }

  /** Removes a listener added with {@link listen} (no-op if it is not there). */
  unlisten(listener: (reason: unknown) => void): void {
    const listeners = this.listeners;
    if (!listeners) return;
    const i = listeners.lastIndexOf(listener);
    if (i < 0) return;
    // Shifted by hand: `splice` would allocate an array of the removed listener each time.
    for (let j = i + 1; j < listeners.length; j++) listeners[j - 1] = listeners[j]!;
    listeners.length--;
  }

  /** A cancellation that aborts with this one; `detach()` stops following it. */
  child(): { cancellation: Cancellation; detach: () => void } {
    const cancellation = new Cancellation();
    const detach = this.onAbort((reason) => cancellation.abort(reason));
    return { cancellation, detach };
  }

  /** An `AbortSignal` that follows this cancellation, for code that takes one (created on first read). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }
}

const NOOP = () => undefined;

/**
 * Resolves after `ms` of the execution's clock; rejects with the reason when cancelled first.
 * `run.concurrentBlocks === 0`: the sleeper is the execution's only line of work, so the clock
 * is told it is parked.
 */
export function sleepUnlessCancelled(
  run: { clock: Pick<ExecutionClock, 'schedule'>; concurrentBlocks: number },
  ms: number,
  cancel: Cancellation,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (cancel.aborted) return reject(cancel.reason);
    let stopListening: () => void = NOOP;
    const cancelTimer = run.clock.schedule(
      ms,
      () => {
        stopListening();
        resolve();
      },
      run.concurrentBlocks === 0,
    );
    stopListening = cancel.onAbort((reason) => {
      cancelTimer();
      reject(reason);
    });
  });
}
