import type { ChoiceState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type ChoiceProps<N extends string> = PropsOf<ChoiceState<N>>;

/** A Choice state: the first matching rule's `Next` wins, else `Default`, else `States.NoChoiceMatched`. */
export function choice<const N extends string = never>(props: ChoiceProps<N>): ChoiceState<NoInfer<N>> {
  return { Type: 'Choice', ...props } as ChoiceState<N>;
}
