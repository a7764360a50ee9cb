import type { ParallelState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type ParallelProps<N extends string, E extends string = never> = PropsOf<ParallelState<N, E>>;

/**
 * A Parallel state: runs every branch on the same input; the result is the array of branch outputs.
 * Build each branch with `branch()` so its transitions are checked against its own states.
 */
export function parallel<const N extends string = never, E extends string = never>(
  props: ParallelProps<N, NoInfer<E>>,
): ParallelState<NoInfer<N>, E> {
  return { Type: 'Parallel', ...props } as ParallelState<N, E>;
}
