import type { TaskState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type TaskProps<N extends string, E extends string = never> = PropsOf<TaskState<N, E>>;

/**
 * A Task state: one unit of work done by an integration (`Resource`).
 * Spread an integration helper into it: `task({ ...lambdaInvoke({...}), Next: 'X' })`.
 */
export function task<const N extends string = never, E extends string = never>(props: TaskProps<N, NoInfer<E>>): TaskState<NoInfer<N>, E> {
  return { Type: 'Task', ...props } as TaskState<N, E>;
}
