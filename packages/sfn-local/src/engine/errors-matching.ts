import type { Catcher, Retrier } from '@saga/asl';
import type { StatesError } from '../errors.js';

/** Retrier defaults (the States language spec). */
export const DEFAULT_INTERVAL_SECONDS = 1;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_RATE = 2.0;

/**
 * Whether an ErrorEquals list matches an error:
 * - the exact name;
 * - `States.ALL`: anything but `States.Runtime` (which nothing handles);
 * - `States.TaskFailed`: anything but `States.Timeout` (and `States.Runtime`);
 * - `States.HeartbeatTimeout`: a heartbeat expiry, which AWS reports as `States.Timeout`.
 */
export function errorMatches(errorEquals: readonly string[], error: StatesError & { heartbeat?: boolean }): boolean {
  if (!error.catchable) return false;
  for (const name of errorEquals) {
    if (name === error.name || name === 'States.ALL') return true;
    if (name === 'States.TaskFailed' && error.name !== 'States.Timeout') return true;
    if (name === 'States.HeartbeatTimeout' && error.heartbeat) return true;
  }
  return false;
}

/** The first retrier whose ErrorEquals matches (AWS never falls through to a later one). */
export function findRetrier(retry: readonly Retrier[] | undefined, error: StatesError): number {
  if (!retry) return -1;
  return retry.findIndex((r) => errorMatches(r.ErrorEquals, error));
}

export function findCatcher<C extends Catcher>(catchers: readonly C[] | undefined, error: StatesError): C | undefined {
  return catchers?.find((c) => errorMatches(c.ErrorEquals, error));
}

/**
 * The delay before retry number `n` (1-based) of a retrier, in ms:
 * IntervalSeconds x BackoffRate^(n-1), capped by MaxDelaySeconds, then with FULL jitter a uniform
 * draw from [0, capped] (AWS applies the jitter after the cap).
 */
export function retryDelayMs(retrier: Retrier, n: number, random: () => number): number {
  const interval = retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const rate = retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE;
  let seconds = interval * Math.pow(rate, n - 1);
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}
