/** `Omit` that distributes over a union, so each query-language variant keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The props of a state factory: the state's ASL fields without `Type`. */
export type PropsOf<S> = DistributiveOmit<S, 'Type'>;
