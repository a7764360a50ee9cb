// @ts-check
import { readFileSync } from 'node:fs';

/**
 * In-process mocks of the saga's Lambda functions, shared by BOTH runners (plain ESM so that the
 * peer runner, plain JS on Node 22, imports the very same code as ours-runner.ts).
 *
 * A mock is `async (event, context?) => result`: it gets the function's event (the Task's
 * effective input) and returns the function output, or throws an Error whose `name` is the ASL
 * error (`CarrierRateLimited`). `context` is only passed by our engine (a Lambda-style context);
 * the mocks use it for nothing but reading the execution's clock, to report retry gaps in the
 * time the engine runs on (virtual for ours, real for the peer).
 */

/**
 * @typedef {'happy' | 'permanent-failure' | 'gated'} MockMode
 *   happy: every call succeeds;
 *   permanent-failure: BookShipment throws CarrierRateLimited on every attempt;
 *   gated: as happy, but ChargePayment waits until `release()` is called (executions in flight).
 */

/** @param {MockMode} mode */
export function createMocks(mode) {
  /** @type {Record<string, number>} */
  const calls = {};
  /** @type {Array<{ fn: string, realMs: number, clockMs: number }>} */
  const log = [];
  let gated = 0;
  /** @type {() => void} */
  let openGate = () => {};
  const gate = new Promise((resolve) => {
    openGate = () => resolve(undefined);
  });

  /** @param {string} fn @param {any} context */
  const record = (fn, context) => {
    calls[fn] = (calls[fn] ?? 0) + 1;
    if (mode === 'permanent-failure') {
      const realMs = performance.now();
      const now = context?.invocation?.now;
      log.push({ fn, realMs, clockMs: typeof now === 'function' ? now() : Date.now() });
    }
  };

  /** @type {Record<string, (event: any, context?: any) => Promise<unknown>>} */
  const handlers = {
    async ChargePayment(event, context) {
      record('ChargePayment', context);
      if (mode === 'gated') {
        gated++;
        await gate;
      }
      return { paymentId: `pay-${event.orderId}`, amount: event.amount, status: 'CAPTURED' };
    },
    async ReserveStock(event, context) {
      record('ReserveStock', context);
      return { reservationId: `res-${event.orderId}`, lines: event.items.length };
    },
    async BookShipment(event, context) {
      record('BookShipment', context);
      if (mode === 'permanent-failure') {
        const e = new Error(`carrier said no (attempt ${calls['BookShipment']})`);
        e.name = 'CarrierRateLimited';
        throw e;
      }
      return { trackingNumber: `trk-${event.orderId}`, carrier: 'ACME', eta: '2026-01-03', raw: { status: 200 } };
    },
    async EmitReceipt(event, context) {
      record('EmitReceipt', context);
      return { receiptId: `rcpt-${event.orderId}` };
    },
    async RefundPayment(event, context) {
      record('RefundPayment', context);
      return { refundId: `ref-${event.paymentId}` };
    },
    async ReleaseStock(event, context) {
      record('ReleaseStock', context);
      return { released: true, reservationId: event.reservationId };
    },
  };

  return {
    handlers,
    calls,
    /** Calls in order (permanent-failure mode only). */
    log,
    /** How many ChargePayment calls are waiting at the gate (gated mode). */
    get gated() {
      return gated;
    },
    /** Opens the gate: every waiting ChargePayment returns. */
    release() {
      openGate();
    },
  };
}

/** Gaps (ms) between consecutive calls of `fn`, in the engine's clock and in real time. */
export function gapsOf(/** @type {Array<{ fn: string, realMs: number, clockMs: number }>} */ log, /** @type {string} */ fn) {
  const mine = log.filter((c) => c.fn === fn);
  return {
    clock: mine.slice(1).map((c, i) => Math.round(c.clockMs - mine[i].clockMs)),
    real: mine.slice(1).map((c, i) => Math.round(c.realMs - mine[i].realMs)),
  };
}

/** Peak resident set size so far (MiB): VmHWM on Linux, getrusage's maxrss elsewhere. */
export function peakRssMiB() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Current resident set size (MiB). */
export function rssMiB() {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Median and percentile of a list of numbers. */
export function stats(/** @type {number[]} */ values) {
  const s = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
  return { n: s.length, min: s[0] ?? NaN, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}

/** Prints one result line (the orchestrator reads the last line starting with `{`). */
export function emit(/** @type {Record<string, unknown>} */ result) {
  process.stdout.write(`${JSON.stringify({ ...result, node: process.version })}\n`);
}

/** Polls (macrotask by macrotask) until `predicate()` holds or `timeoutMs` passes; returns whether it held. */
export async function until(/** @type {() => boolean} */ predicate, timeoutMs = 60_000) {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 1));
  }
  return true;
}
