/**
 * Time as one execution sees it.
 *
 * Virtual time (the default): Wait states, retry backoff and timeouts are timers on this clock,
 * and the clock jumps to the earliest timer as soon as the execution has nothing else to do.
 * While real work is in flight (`busy`: a handler running, a callback awaited) time stands still,
 * so a timeout never fires under work that is merely slow in real time; `advance()` moves it
 * by hand (how tests make a review token expire). Real time: timers are `setTimeout`.
 */
export interface ExecutionClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `work` with time standing still until it settles (virtual) or as is (real). */
  busy<T>(work: Promise<T>): Promise<T>;
  /** Marks real work in flight until the returned function is called (once): `busy` without a promise. */
  hold(): () => void;
  /** {@link hold} without the function: the caller calls {@link release} exactly once. */
  acquire(): void;
  release(): void;
  /** A sleep taken from inside `busy` work (a handler simulating slowness): the work counts as idle meanwhile. */
  idleSleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fire` after `ms` of this clock's time; the returned function cancels it (cheaper than a sleep with a signal). */
  schedule(ms: number, fire: () => void): () => void;
  /** Moves virtual time forward by `ms`, firing every timer due (no-op in real time). */
  advance(ms: number): void;
  readonly mode: 'virtual' | 'real';
}

export type ClockMode = 'virtual' | 'real';

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** A virtual clock starting at `startMs`. */
export function createVirtualClock(startMs: number): ExecutionClock {
  return new VirtualClock(startMs);
}

/**
 * One per execution, so its methods live on the prototype and its timer list is created on first
 * use: 10,000 executions in flight should not cost 10,000 sets of closures.
 */
class VirtualClock implements ExecutionClock {
  readonly mode = 'virtual' as const;
  private current: number;
  private busyCount = 0;
  private seq = 0;
  private checkScheduled = false;
  private timers: Timer[] | undefined;

  /**
   * A function rather than a method: integrations and handlers take it detached
   * (`const { now } = invocation`), and one made per clock spares them one per reading.
   */
  readonly now: () => number;

  constructor(startMs: number) {
    this.current = startMs;
    this.now = () => this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.cancel(timer);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.add(timer);
    });
  }

  schedule(ms: number, fire: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire };
    this.add(timer);
    return () => this.cancel(timer);
  }

  async busy<T>(work: Promise<T>): Promise<T> {
    const release = this.hold();
    try {
      return await work;
    } finally {
      release();
    }
  }

  hold(): () => void {
    this.acquire();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.release();
    };
  }

  acquire(): void {
    this.busyCount++;
  }

  release(): void {
    this.busyCount--;
    if (this.timers?.length) this.scheduleCheck();
  }

  async idleSleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.busyCount--;
    try {
      await this.sleep(ms, signal);
    } finally {
      this.busyCount++;
    }
  }

  advance(ms: number): void {
    const target = this.current + ms;
    const timers = this.timers ?? [];
    timers.sort(byDue);
    while (timers.length > 0 && timers[0]!.at <= target) {
      const t = timers.shift()!;
      this.current = Math.max(this.current, t.at);
      t.fire();
    }
    this.current = target;
    this.scheduleCheck();
  }

  private add(timer: Timer): void {
    (this.timers ??= []).push(timer);
    this.scheduleCheck();
  }

  private cancel(timer: Timer): void {
    const timers = this.timers;
    if (!timers) return;
    const i = timers.indexOf(timer);
    if (i >= 0) timers.splice(i, 1);
    if (timers.length > 0) this.scheduleCheck();
  }

  /**
   * After the current macrotask, when every continuation has had its chance to register new work
   * or timers: if nothing real is in flight, jump to the earliest timer.
   */
  private scheduleCheck(): void {
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    setImmediate(() => {
      this.checkScheduled = false;
      const timers = this.timers;
      if (this.busyCount > 0 || !timers || timers.length === 0) return;
      timers.sort(byDue);
      const next = timers.shift()!;
      this.current = Math.max(this.current, next.at);
      next.fire();
      this.scheduleCheck();
    });
  }
}

const byDue = (a: Timer, b: Timer) => a.at - b.at || a.seq - b.seq;

/** A clock on real time. */
export function createRealClock(): ExecutionClock {
  return {
    mode: 'real',
    now: () => Date.now(),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          clearTimeout(handle);
          reject(signal!.reason);
        };
        const handle = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    schedule(ms, fire) {
      const handle = setTimeout(fire, ms);
      return () => clearTimeout(handle);
    },
    busy: (work) => work,
    hold: () => NOOP,
    acquire: NOOP,
    release: NOOP,
    idleSleep(ms, signal) {
      return this.sleep(ms, signal);
    },
    advance: () => undefined,
  };
}

const NOOP = () => undefined;
