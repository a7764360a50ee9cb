import type { JsonValue, ParallelState } from '@saga/asl';
import { runBlock } from '../block.js';
import { commitAssignments, effectiveInput, stateOutput } from '../io.js';
import { withRetryAndCatch } from '../retry-catch.js';
import type { Scope, StateHandler } from '../scope.js';
import { ABORTED, Aborted, contextFor } from '../scope.js';
import { EVENT } from '../../history-log.js';

/**
 * A Parallel state: every branch runs on the effective input in its own variable scope; the
 * result is the array of branch outputs. The first branch to fail stops the others and the state
 * fails with that branch's own error (as recorded on AWS, not States.BranchFailed).
 */
export const executeParallel: StateHandler<ParallelState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.ParallelStateEntered, name, raw);
  const enteredTime = run.clock.now();
  const context = () => contextFor(scope, name, enteredTime);

  return withRetryAndCatch(name, state, raw, scope, context, EVENT.ParallelStateExited, async () => {
    const input = await effectiveInput(state, name, raw, scope, context());
    run.history.addDetailless(scope.thread, EVENT.ParallelStateStarted);
    const results = await runConcurrently(
      state.Branches.map((branch) => (branchScope: Scope) => runBlock(branch, input, branchScope)),
      scope,
      Infinity,
    ).catch((error: unknown) => {
      run.history.addDetailless(scope.thread, error instanceof Aborted ? EVENT.ParallelStateAborted : EVENT.ParallelStateFailed);
      throw error;
    });
    run.history.addDetailless(scope.thread, EVENT.ParallelStateSucceeded);
    const { output, assigned } = await stateOutput(state, name, raw, results, scope, context());
    const assignedVariables = commitAssignments(scope, assigned);
    run.history.exited(scope.thread, EVENT.ParallelStateExited, name, output, assignedVariables);
    return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
  });
};

/**
 * Runs blocks with at most `limit` at a time, each in a child scope (own variables, own event
 * thread, a signal that aborts when the parent aborts or a sibling fails). Resolves with the
 * outputs in order; on the first failure aborts the rest, waits for them to stop, and rejects
 * with that failure.
 */
export async function runConcurrently(
  blocks: readonly ((scope: Scope) => Promise<JsonValue>)[],
  parent: Scope,
  limit: number,
): Promise<JsonValue[]> {
  const { cancellation: abort, detach } = parent.cancel.child();
  const results = new Array<JsonValue>(blocks.length);
  let failure: unknown;
  let next = 0;
  const worker = async () => {
    while (next < blocks.length && failure === undefined && !abort.aborted) {
      const i = next++;
      const child: Scope = {
        run: parent.run,
        vars: parent.vars.child(),
        cancel: abort,
        language: parent.language,
        thread: { last: parent.thread.last },
        topLevel: false,
      };
      try {
        results[i] = await blocks[i]!(child);
      } catch (error) {
        if (failure === undefined && !(error instanceof Aborted)) {
          failure = error;
          abort.abort(ABORTED);
        }
      }
    }
  };
  parent.run.concurrentBlocks++;
  try {
    const workers = Math.max(1, Math.min(limit, blocks.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    parent.run.concurrentBlocks--;
    detach();
  }
  if (parent.cancel.aborted) throw ABORTED;
  if (failure !== undefined) throw failure;
  return results;
}
