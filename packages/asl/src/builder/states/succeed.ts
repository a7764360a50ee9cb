import type { SucceedState } from '../../definition/states.js';
import type { PropsOf } from '../props.js';

export type SucceedProps = PropsOf<SucceedState>;

/** A Succeed state: ends the machine (or the branch) successfully. It has no `Next`. */
export function succeed(props: SucceedProps = {}): SucceedState {
  return { Type: 'Succeed', ...props } as SucceedState;
}
