import type { JsonValue } from '@saga/asl';
import { StatesError } from '../../errors.js';
import { jsonTypeOf, preview } from '../json.js';
import type { IntrinsicArg, IntrinsicCall } from '../intrinsic-parser.js';
import type { EvaluationScope } from '../scope.js';

/**
 * The declarative description of an intrinsic function: its arguments (name, accepted JSON
 * types, whether it must be a path) and its implementation, which receives arguments already
 * checked, with `integer` arguments rounded to the nearest integer as AWS documents.
 */

/** `integer` accepts any finite number and rounds it (Java `Math.round`: halves go up). */
export type ArgType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object' | 'any';

export interface ArgSpec {
  name: string;
  types: readonly ArgType[];
  /** The argument must be written as a path or a nested call, not a literal (States.JsonToString). */
  notLiteral?: boolean;
}

export interface IntrinsicContext {
  scope: EvaluationScope;
  /** The parsed call, for functions that look at how an argument was written (States.Format). */
  call: IntrinsicCall;
  /** Throws States.IntrinsicFailure with a message naming the function. */
  fail(message: string): never;
}

export interface IntrinsicDefinition {
  name: string;
  /** Positional arguments; those from index `required` on are optional. */
  args: readonly ArgSpec[];
  /** How many of `args` are required (default: all). */
  required?: number;
  /** Spec for any number of further arguments (States.Format, States.Array). */
  rest?: ArgSpec;
  evaluate(args: JsonValue[], ctx: IntrinsicContext): JsonValue;
}

export function intrinsicFailure(name: string, message: string): StatesError {
  return new StatesError('States.IntrinsicFailure', `Invalid arguments in ${name}: ${message}`);
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

function describe(types: readonly ArgType[]): string {
  const words = types.map((t) => (t === 'integer' ? 'an integer' : t === 'array' || t === 'object' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`));
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function matches(t: ArgType, v: JsonValue): boolean {
  switch (t) {
    case 'any':
      return true;
    case 'integer':
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'null':
      return v === null;
    default:
      return jsonTypeOf(v) === t;
  }
}

/**
 * Checks arity and argument types against the definition; returns the arguments with `integer`
 * ones rounded. Failures are States.IntrinsicFailure with a message naming the argument.
 */
export function checkArguments(def: IntrinsicDefinition, values: JsonValue[], written: readonly IntrinsicArg[]): JsonValue[] {
  const required = def.required ?? def.args.length;
  const max = def.rest ? Infinity : def.args.length;
  if (values.length < required || values.length > max) {
    const expected =
      max === Infinity
        ? `at least ${required} argument${required === 1 ? '' : 's'}`
        : required === max
          ? `exactly ${max} argument${max === 1 ? '' : 's'}`
          : `${required} to ${max} arguments`;
    throw intrinsicFailure(def.name, `${def.name} takes ${expected}, but ${values.length} ${values.length === 1 ? 'was' : 'were'} given`);
  }
  const out = values.slice();
  for (let i = 0; i < values.length; i++) {
    const spec = i < def.args.length ? def.args[i]! : def.rest!;
    const v = values[i]!;
    if (spec.notLiteral && written[i]?.kind === 'literal') {
      throw intrinsicFailure(def.name, `the ${ordinal(i)} argument ('${spec.name}') must be a path, not a literal value`);
    }
    const t = spec.types.find((type) => matches(type, v));
    if (t === undefined) {
      throw intrinsicFailure(
        def.name,
        `the ${ordinal(i)} argument ('${spec.name}') must be ${describe(spec.types)}, but was ${jsonTypeOf(v)} ${preview(v, 64)}`,
      );
    }
    if (t === 'integer') out[i] = Math.round(v as number);
  }
  return out;
}
