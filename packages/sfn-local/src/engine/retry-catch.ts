import type { Catcher, JsonValue, Retrier } from '@saga/asl';
import type { ContextObject } from '../context-object.js';
import { toStatesError } from '../errors.js';
import type { EventCode } from '../history-log.js';
import { DEFAULT_MAX_ATTEMPTS, findCatcher, findRetrier, retryDelayMs } from './errors-matching.js';
import { sleepUnlessCancelled } from './cancellation.js';
import { catcherOutput, commitAssignments } from './io.js';
import type { Scope, StateOutcome } from './scope.js';
import { ABORTED, Aborted } from './scope.js';

/**
 * Runs `attempt` under a state's Retry and Catch: the first retrier matching the error retries
 * the whole state (a Parallel re-runs every branch, a Map every item) after its backoff; when no
 * retrier is left, the first matching catcher routes to its Next with the Error Output.
 */
export async function withRetryAndCatch(
  name: string,
  state: { Retry?: readonly Retrier[]; Catch?: readonly Catcher[]; QueryLanguage?: 'JSONPath' | 'JSONata' },
  raw: JsonValue,
  scope: Scope,
  context: (attempt: number) => ContextObject,
  exitEvent: EventCode<'ParallelStateExited' | 'MapStateExited'>,
  attempt: (attempt: number, retryDelayMs?: number) => Promise<StateOutcome>,
): Promise<StateOutcome> {
  const { run } = scope;
  const counts = new Array<number>(state.Retry?.length ?? 0).fill(0);
  let n = 0;
  let delay: number | undefined;
  for (;;) {
    try {
      return await attempt(n, delay);
    } catch (thrown) {
      if (thrown instanceof Aborted || scope.cancel.aborted) throw thrown instanceof Aborted ? thrown : ABORTED;
      const error = toStatesError(thrown);
      const r = findRetrier(state.Retry, error);
      if (r >= 0 && counts[r]! < (state.Retry![r]!.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
        counts[r]!++;
        delay = retryDelayMs(state.Retry![r]!, counts[r]!, run.random);
        run.transitions++;
        await sleepUnlessCancelled(run, delay, scope.cancel).catch(() => {
          throw ABORTED;
        });
        n++;
        continue;
      }
      const catcher = findCatcher(state.Catch, error);
      if (!catcher) throw error;
      const language = state.QueryLanguage ?? scope.language;
      const { output, assigned } = await catcherOutput(catcher, language, name, raw, error.toErrorOutput(), scope, context(n));
      const assignedVariables = commitAssignments(scope, assigned);
      run.history.exited(scope.thread, exitEvent, name, output, assignedVariables);
      return { kind: 'next', next: catcher.Next, output };
    }
  }
}
