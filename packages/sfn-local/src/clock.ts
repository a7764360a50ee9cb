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
  let now = startMs;
  let busyCount = 0;
  let seq = 0;
  let checkScheduled = false;
  const timers: Timer[] = [];

  const scheduleCheck = () => {
    if (checkScheduled) return;
    checkScheduled = true;
    // After the current macrotask, when every continuation has had its chance to register
    // new work or timers: if nothing real is in flight, jump to the earliest timer.
    setImmediate(() => {
      checkScheduled = false;
      if (busyCount > 0 || timers.length === 0) return;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift()!;
      now = Math.max(now, next.at);
      next.fire();
      scheduleCheck();
    });
  };

  const clock: ExecutionClock = {
    mode: 'virtual',
    now: () => now,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer: Timer = {
          at: now + Math.max(0, ms),
          seq: seq++,
          fire: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          const i = timers.indexOf(timer);
          if (i >= 0) timers.splice(i, 1);
          reject(signal!.reason);
          if (timers.length > 0) scheduleCheck();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
        scheduleCheck();
      });
    },
    schedule(ms, fire) {
      const timer: Timer = { at: now + Math.max(0, ms), seq: seq++, fire };
      timers.push(timer);
      scheduleCheck();
      return () => {
        const i = timers.indexOf(timer);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    async busy(work) {
      const release = clock.hold();
      try {
        return await work;
      } finally {
        release();
      }
    },
    hold() {
      busyCount++;
      let held = true;
      return () => {
        if (!held) return;
        held = false;
        busyCount--;
        if (timers.length > 0) scheduleCheck();
      };
    },
    async idleSleep(ms, signal) {
      busyCount--;
      try {
        await clock.sleep(ms, signal);
      } finally {
        busyCount++;
      }
    },
    advance(ms) {
      const target = now + ms;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      while (timers.length > 0 && timers[0]!.at <= target) {
        const t = timers.shift()!;
        now = Math.max(now, t.at);
        t.fire();
      }
      now = target;
      scheduleCheck();
    },
  };
  return clock;
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
    idleSleep(ms, signal) {
      return this.sleep(ms, signal);
    },
    advance: () => undefined,
  };
}

const NOOP = () => undefined;
