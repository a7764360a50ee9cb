/**
 * Time as one execution sees it.
 *
 * Virtual time (the default): Wait states, retry backoff and timeouts are timers on this clock,
 * and the clock jumps to the earliest timer as soon as the execution has nothing else to do. When
 * its only line of work parks on a timer (a sleep outside any Parallel or Map), that is known at
 * once and the jump happens in a microtask; otherwise it is checked after the event loop's next
 * turn, when every branch has had its chance to set its timers.
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
  /**
   * Calls `fire` after `ms` of this clock's time; the returned function cancels it (cheaper than a
   * sleep with a signal). `parked`: the caller is the execution's only line of work and now waits
   * on this timer alone (a retry backoff or a Wait outside any Parallel or Map), so virtual time
   * may jump as soon as no real work is in flight, without waiting for the event loop's next turn.
   */
  schedule(ms: number, fire: () => void, parked?: boolean): () => void;
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
  /** The timer the execution's only line of work is parked on, while an eager check is queued. */
  private parked: Timer | undefined;

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

  schedule(ms: number, fire: () => void, parked?: boolean): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire };
    if (parked && this.busyCount === 0 && this.parked === undefined && takeEagerJump()) {
      (this.timers ??= []).push(timer);
      this.parked = timer;
      // A reaction on a settled promise rather than queueMicrotask, which makes an AsyncResource per call.
      void SETTLED.then(() => this.jumpForParked());
    } else {
      this.add(timer);
    }
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

  /**
   * The eager check of a parked line of work, a microtask after it parked: the rest of the
   * current job (and anything queued before it) has had its turn. Time jumps only if the parked
   * timer is still set and nothing real started meanwhile; otherwise the ordinary check decides.
   */
  private jumpForParked(): void {
    const parked = this.parked!;
    this.parked = undefined;
    const timers = this.timers!;
    if (this.busyCount > 0 || !timers.includes(parked)) {
      if (timers.length > 0) this.scheduleCheck();
      return;
    }
    this.fireEarliest(timers);
  }

  private fireEarliest(timers: Timer[]): void {
    timers.sort(byDue);
    const next = timers.shift()!;
    this.current = Math.max(this.current, next.at);
    next.fire();
    // Whatever `fire` woke up sets its own timers; this catches timers left waiting (an
    // execution timeout while a callback is awaited) after the event loop's next turn.
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
      this.fireEarliest(timers);
    });
  }
}

const byDue = (a: Timer, b: Timer) => a.at - b.at || a.seq - b.seq;
const SETTLED = Promise.resolve();

/**
 * Eager jumps allowed per event-loop turn, across all clocks: a machine that loops through Wait
 * states with in-process handlers would otherwise never give the event loop (the HTTP API, a
 * StopExecution) a turn. Past the limit, a parked line of work waits for the next turn as any other.
 */
export const EAGER_JUMPS_PER_TURN = 64;
let eagerJumpsLeft = EAGER_JUMPS_PER_TURN;
let eagerResetScheduled = false;

function takeEagerJump(): boolean {
  if (eagerJumpsLeft === 0) return false;
  eagerJumpsLeft--;
  if (!eagerResetScheduled) {
    eagerResetScheduled = true;
    setImmediate(resetEagerJumps);
  }
  return true;
}

function resetEagerJumps(): void {
  eagerResetScheduled = false;
  eagerJumpsLeft = EAGER_JUMPS_PER_TURN;
}

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
