import type { GraphNode, Scope, StateCtx, Validator } from './context.js';
import { has, typeMessage, type JsonObject } from './fields.js';

/**
 * Transitions, per `{StartAt, States}` scope: targets must name a state of the same scope
 * (so nothing crosses a Parallel branch or Map processor boundary), `Next` xor `End` where
 * transitions exist, every state reachable, at least one terminal state, and a path from every
 * reachable state to a terminal one.
 */

/** AWS (verbatim): the word `Next` is used for StartAt, Default, Choices[].Next and Catch[].Next too. */
export function missingTargetMessage(target: string): string {
  return `Missing 'Next' target: ${target}`;
}

/** Checks a transition target (`Next`, `Default`, `Choices[i].Next`, `Catch[i].Next`) and records the edge. */
export function addTarget(s: StateCtx, target: unknown, loc: string): void {
  if (typeof target !== 'string') {
    s.v.schema(typeMessage('String'), loc);
    s.node.dangling = true;
    return;
  }
  if (s.scope.names.has(target)) {
    s.node.edges.push(target);
  } else {
    s.v.error('MISSING_TRANSITION_TARGET', missingTargetMessage(target), loc);
    s.node.dangling = true;
  }
}

/** Task, Pass, Wait, Parallel and Map need exactly one of `Next` and `End`. */
export function checkNextOrEnd(s: StateCtx, state: JsonObject): void {
  const next = has(state, 'Next');
  const end = state.End === true;
  if (next && end) s.v.schema("Fields 'Next' and 'End' are mutually exclusive", s.loc);
  else if (!next && !end) {
    s.v.schema("Exactly one of the fields 'Next' or 'End' is required", s.loc);
    s.node.dangling = true;
  }
  s.node.terminal = end;
}

/**
 * Graph checks after all states of a scope are checked:
 * - no terminal state at all: MISSING_END_STATE "Workflow has no terminal state" (AWS; it
 *   suppresses the reachability walk);
 * - a state not reachable from StartAt: MISSING_TRANSITION_TARGET `State "X" is not reachable.` (AWS);
 * - a reachable state from which no terminal state can be reached (a closed loop):
 *   MISSING_END_STATE `State "X" has no path to a terminal state` (our rule; AWS does not document it).
 */
export function checkScopeGraph(v: Validator, scope: Scope, startAt: string | undefined): void {
  const nodes = scope.nodes;
  let anyTerminal = false;
  for (const n of nodes.values()) {
    if (n.terminal || n.uncertain) {
      anyTerminal = true;
      break;
    }
  }
  if (!anyTerminal) {
    v.error('MISSING_END_STATE', 'Workflow has no terminal state', scope.base);
    return;
  }
  if (startAt === undefined || !nodes.has(startAt)) return;

  const reachable = new Set<string>([startAt]);
  const queue: string[] = [startAt];
  while (queue.length > 0) {
    for (const next of nodes.get(queue.pop()!)!.edges) {
      if (!reachable.has(next)) {
        reachable.add(next);
        queue.push(next);
      }
    }
  }

  // Reverse walk from everything that may end (or whose shape is unknown).
  const incoming = new Map<string, string[]>();
  const canEnd = new Set<string>();
  for (const n of nodes.values()) {
    for (const target of n.edges) {
      const list = incoming.get(target);
      if (list === undefined) incoming.set(target, [n.name]);
      else list.push(n.name);
    }
    if (mayEnd(n)) {
      canEnd.add(n.name);
      queue.push(n.name);
    }
  }
  while (queue.length > 0) {
    for (const prev of incoming.get(queue.pop()!) ?? []) {
      if (!canEnd.has(prev)) {
        canEnd.add(prev);
        queue.push(prev);
      }
    }
  }

  for (const n of nodes.values()) {
    if (!reachable.has(n.name)) {
      v.error('MISSING_TRANSITION_TARGET', `State "${n.name}" is not reachable.`, n.loc);
    } else if (!canEnd.has(n.name)) {
      v.error('MISSING_END_STATE', `State "${n.name}" has no path to a terminal state`, n.loc);
    }
  }
}

function mayEnd(n: GraphNode): boolean {
  return n.terminal || n.uncertain || n.dangling;
}
