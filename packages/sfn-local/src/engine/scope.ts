import type { JsonValue, QueryLanguage, State } from '@saga/asl';
import type { ExecutionClock } from '../clock.js';
import type { ContextObject } from '../context-object.js';
import { isoTimestamp } from '../context-object.js';
import type { EvaluationScope, JsonataBindings } from '../evaluation/index.js';
import type { ExecutionIdentity, TaskResolver } from '../integrations/types.js';
import type { Random } from '../random.js';
import type { CallbackRegistry } from './callbacks.js';
import type { Checkpoint, ExecutionOptions } from './execution-types.js';
import type { EventThread, HistoryWriter } from './history-writer.js';
import type { VariableScope } from './variables.js';
import type { Cancellation } from './cancellation.js';

/** What every state of one execution shares. */
export interface Run {
  options: ExecutionOptions;
  clock: ExecutionClock;
  random: Random;
  history: HistoryWriter;
  resolve: TaskResolver;
  callbacks: CallbackRegistry;
  /** Context fields that do not change during the execution. */
  executionContext: ContextObject['Execution'];
  stateMachineContext: ContextObject['StateMachine'];
  /** State transitions so far, retries included (what Standard workflows bill). */
  transitions: number;
  /** Who is running, as integrations see it. */
  identity: ExecutionIdentity;
  /** Its place in the order of continuations when task results arrive in a burst (turns.ts). */
  order: number;
  /**
   * Parallel and Map states in progress. While none is, the execution is one line of work: when
   * it sleeps (a retry backoff, a Wait), it has nothing else to do and its clock may jump at once.
   */
  concurrentBlocks: number;
}

/** Where a state runs: its `States` block, variables, abort signal and event thread. */
export interface Scope {
  run: Run;
  vars: VariableScope;
  /** Aborted by StopExecution, a failed sibling branch or the execution's timeout. */
  cancel: Cancellation;
  /** The machine's query language: states inherit it (nested blocks too). */
  language: QueryLanguage;
  thread: EventThread;
  /** True for the machine's own States block: the only place checkpoints are taken. */
  topLevel: boolean;
  checkpoint?: (c: Omit<Checkpoint, 'lastEventId' | 'transitions' | 'at'>) => void;
}

/** What a state did: go on to `next`, or end its block with `output`. */
export type StateOutcome = { kind: 'next'; next: string; output: JsonValue } | { kind: 'end'; output: JsonValue };

export type StateHandler<S extends State> = (
  name: string,
  state: S,
  input: JsonValue,
  scope: Scope,
  resume?: Checkpoint['waitingForCallback'],
) => Promise<StateOutcome>;

export function languageOf(state: { QueryLanguage?: QueryLanguage }, scope: Scope): QueryLanguage {
  return state.QueryLanguage ?? scope.language;
}

/** The context object for a state entered at `enteredTime`. */
export function contextFor(
  scope: Scope,
  name: string,
  enteredTime: number,
  extra?: { retryCount?: number; taskToken?: string; mapItem?: ContextObject['Map'] },
): ContextObject {
  // Flat literals, each object made with all of its fields: a nested literal, or a field added
  // afterwards, is built by the runtime rather than copied from the literal's template.
  const enteredAt = isoTimestamp(enteredTime);
  const retryCount = extra?.retryCount;
  const state: ContextObject['State'] =
    retryCount === undefined ? { EnteredTime: enteredAt, Name: name } : { EnteredTime: enteredAt, Name: name, RetryCount: retryCount };
  const ctx: ContextObject = { Execution: scope.run.executionContext, State: state, StateMachine: scope.run.stateMachineContext };
  if (extra?.taskToken !== undefined) ctx.Task = { Token: extra.taskToken };
  if (extra?.mapItem !== undefined) ctx.Map = extra.mapItem;
  return ctx;
}

export function evaluationScope(scope: Scope, name: string, context: ContextObject): EvaluationScope {
  return { context, variables: scope.vars.visible(), stateName: name, random: scope.run.random };
}

export function jsonataBindings(
  scope: Scope,
  input: JsonValue,
  context: ContextObject,
  extra: { result?: JsonValue; errorOutput?: JsonValue } = {},
): JsonataBindings {
  return { input, context, variables: scope.vars.visible(), random: scope.run.random, ...extra };
}

/** Thrown through a block when its signal aborts (StopExecution, a sibling branch failed, a timeout). */
export class Aborted extends Error {
  override readonly name = 'Aborted';
}

export function throwIfAborted(cancel: Cancellation): void {
  if (cancel.aborted) throw ABORTED;
}

/** A reusable abort reason: building an Error (and its stack) per aborted attempt is costly. */
export const ABORTED = new Aborted('aborted');
