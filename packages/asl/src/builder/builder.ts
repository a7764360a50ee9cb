import type { ItemProcessor, ChoiceState, FailState, MapState, ParallelState, PassState, SucceedState, TaskState, WaitState } from '../definition/states.js';
import type { ItemProcessorProps, BuildOptions, StateMachine, StateMachineProps, StatesOf } from './machine.js';
import { branch, stateMachine } from './machine.js';
import type { ChoiceProps } from './states/choice.js';
import { choice } from './states/choice.js';
import type { FailProps } from './states/fail.js';
import { fail } from './states/fail.js';
import type { MapProps } from './states/map.js';
import { map } from './states/map.js';
import type { ParallelProps } from './states/parallel.js';
import { parallel } from './states/parallel.js';
import type { PassProps } from './states/pass.js';
import { pass } from './states/pass.js';
import type { SucceedProps } from './states/succeed.js';
import { succeed } from './states/succeed.js';
import type { TaskProps } from './states/task.js';
import { task } from './states/task.js';
import type { WaitProps } from './states/wait.js';
import { wait } from './states/wait.js';

/** The state factories with Retry and Catch typed by the error names `E`. */
export interface AslBuilder<E extends string> {
  stateMachine<S extends StatesOf<S, E>>(props: StateMachineProps<S>, options?: BuildOptions): StateMachine<E>;
  branch<S extends StatesOf<S, E>>(props: ItemProcessorProps<S>): ItemProcessor<E>;
  task<const N extends string = never>(props: TaskProps<N, E>): TaskState<NoInfer<N>, E>;
  parallel<const N extends string = never>(props: ParallelProps<N, E>): ParallelState<NoInfer<N>, E>;
  map<const N extends string = never>(props: MapProps<N, E>): MapState<NoInfer<N>, E>;
  pass<const N extends string = never>(props: PassProps<N>): PassState<NoInfer<N>>;
  choice<const N extends string = never>(props: ChoiceProps<N>): ChoiceState<NoInfer<N>>;
  wait<const N extends string = never>(props: WaitProps<N>): WaitState<NoInfer<N>>;
  succeed(props?: SucceedProps): SucceedState;
  fail(props?: FailProps): FailState;
}

/**
 * The builder for a declared error taxonomy: Retry and Catch then accept the `States.*`
 * built-ins, Lambda's service errors and exactly the names of `errors`.
 *
 * @example
 * const { stateMachine, task } = withErrors(['PaymentDeclined', 'OutOfStock'] as const);
 * // or from a taxonomy object keyed by error name: withErrors(SagaErrorTaxonomy)
 */
export function withErrors<E extends string>(_errors?: readonly E[] | Readonly<Record<E, unknown>>): AslBuilder<E> {
  // The runtime factories are the untyped ones; only the types narrow.
  return { stateMachine, branch, task, parallel, map, pass, choice, wait, succeed, fail } as unknown as AslBuilder<E>;
}
