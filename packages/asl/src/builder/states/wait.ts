import type { WaitState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type WaitProps<N extends string> = PropsOf<WaitState<N>>;

/** A Wait state: exactly one of Seconds, Timestamp, SecondsPath or TimestampPath. */
export function wait<const N extends string = never>(props: WaitProps<N>): WaitState<NoInfer<N>> {
  return { Type: 'Wait', ...props } as WaitState<N>;
}
