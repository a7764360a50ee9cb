import type { FailState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type FailProps = PropsOf<FailState>;

/** A Fail state: ends the execution as failed with a named `Error` and a `Cause`. */
export function fail(props: FailProps = {}): FailState {
  return { Type: 'Fail', ...props } as FailState;
}
