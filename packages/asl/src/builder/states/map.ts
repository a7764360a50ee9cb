import type { MapState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type MapProps<N extends string, E extends string = never> = PropsOf<MapState<N, E>>;

/**
 * A Map state, inline (`ProcessorConfig.Mode` INLINE, the default) or distributed (with
 * ItemReader, ItemBatcher, ResultWriter and tolerated failures). Build `ItemProcessor` with `branch()`.
 */
export function map<const N extends string = never, E extends string = never>(props: MapProps<N, NoInfer<E>>): MapState<NoInfer<N>, E> {
  return { Type: 'Map', ...props } as MapState<N, E>;
}
