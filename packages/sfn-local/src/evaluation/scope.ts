import type { JsonValue } from '@saga/asl';
import type { ContextObject } from '../context-object.js';
import type { Random } from '../random.js';

/** What a JSONPath-mode evaluation can see besides the data it is applied to. */
export interface EvaluationScope {
  /** `$$` in JSONPath. */
  context: ContextObject;
  /** The visible workflow variables (`$name`), outer scopes already merged in. */
  variables: Readonly<Record<string, JsonValue>>;
  /** The state being evaluated, for error messages. */
  stateName: string;
  /** Source of randomness for States.UUID and an unseeded States.MathRandom. */
  random: Random;
}
