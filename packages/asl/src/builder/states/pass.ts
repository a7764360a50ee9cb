import type { PassState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type PassProps<N extends string> = PropsOf<PassState<N>>;

/** A Pass state: passes its input on, optionally injecting `Result` or reshaping with Parameters/Output. */
export function pass<const N extends string = never>(props: PassProps<N>): PassState<NoInfer<N>> {
  return { Type: 'Pass', ...props } as PassState<N>;
}
