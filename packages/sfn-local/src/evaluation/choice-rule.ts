import type { JsonValue } from '@saga/asl';
import { runtimeError } from '../errors.js';
import { evaluatePath, parsePathOrThrow, PathMiss } from './path-query.js';
import type { EvaluationScope } from './scope.js';
import { PatternError, stringMatches } from './string-matches.js';
import { compareInstants, isTimestamp, parseTimestamp } from './timestamp.js';

/**
 * JSONPath Choice rules: `And`/`Or` (in order, short-circuit), `Not`, and data tests of a
 * `Variable` with one comparison operator.
 * - Operands not both of the operator's type -> false, never an error.
 * - Strings compare by UTF-16 code units (Java `String.compareTo`); numbers as doubles;
 *   timestamps (RFC 3339) as instants.
 * - `IsPresent` is the only test of a missing Variable; any other operator on a missing Variable
 *   (or a missing `...Path` operand) -> States.Runtime.
 */

type OperandType = 'string' | 'numeric' | 'boolean' | 'timestamp';

interface Comparison {
  type: OperandType;
  holds: (order: number) => boolean;
}

const eq = (o: number) => o === 0;
const lt = (o: number) => o < 0;
const gt = (o: number) => o > 0;
const le = (o: number) => o <= 0;
const ge = (o: number) => o >= 0;

const COMPARISONS: Readonly<Record<string, Comparison>> = {
  StringEquals: { type: 'string', holds: eq },
  StringLessThan: { type: 'string', holds: lt },
  StringGreaterThan: { type: 'string', holds: gt },
  StringLessThanEquals: { type: 'string', holds: le },
  StringGreaterThanEquals: { type: 'string', holds: ge },
  NumericEquals: { type: 'numeric', holds: eq },
  NumericLessThan: { type: 'numeric', holds: lt },
  NumericGreaterThan: { type: 'numeric', holds: gt },
  NumericLessThanEquals: { type: 'numeric', holds: le },
  NumericGreaterThanEquals: { type: 'numeric', holds: ge },
  BooleanEquals: { type: 'boolean', holds: eq },
  TimestampEquals: { type: 'timestamp', holds: eq },
  TimestampLessThan: { type: 'timestamp', holds: lt },
  TimestampGreaterThan: { type: 'timestamp', holds: gt },
  TimestampLessThanEquals: { type: 'timestamp', holds: le },
  TimestampGreaterThanEquals: { type: 'timestamp', holds: ge },
};

const TYPE_TESTS: Readonly<Record<string, (v: JsonValue) => boolean>> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: (v) => isTimestamp(v),
};

type Operator =
  | { kind: 'compare'; key: string; comparison: Comparison; path: boolean }
  | { kind: 'matches'; key: string }
  | { kind: 'type'; key: string; test: (v: JsonValue) => boolean }
  | { kind: 'present'; key: string };

const OPERATORS = new Map<string, Operator>();
for (const [key, comparison] of Object.entries(COMPARISONS)) {
  OPERATORS.set(key, { kind: 'compare', key, comparison, path: false });
  OPERATORS.set(`${key}Path`, { kind: 'compare', key: `${key}Path`, comparison, path: true });
}
OPERATORS.set('StringMatches', { kind: 'matches', key: 'StringMatches' });
for (const [key, test] of Object.entries(TYPE_TESTS)) OPERATORS.set(key, { kind: 'type', key, test });
OPERATORS.set('IsPresent', { kind: 'present', key: 'IsPresent' });

/** The operator of each data-test rule object, found once. */
const ruleOperators = new WeakMap<object, Operator | null>();

function operatorOf(rule: Record<string, unknown>): Operator | null {
  let op = ruleOperators.get(rule);
  if (op === undefined) {
    op = null;
    for (const key of Object.keys(rule)) {
      const found = OPERATORS.get(key);
      if (found !== undefined) {
        op = found;
        break;
      }
    }
    ruleOperators.set(rule, op);
  }
  return op;
}

/** Evaluates a JSONPath Choice rule (top-level or nested) against the effective input. */
export function evaluateChoiceRule(rule: object, input: JsonValue, scope: EvaluationScope): boolean {
  const r = rule as Record<string, unknown>;
  if (r.And !== undefined) {
    if (!Array.isArray(r.And)) throw runtimeError(scope.stateName, "The 'And' field of a Choice rule must be an array of rules");
    for (const sub of r.And) if (!evaluateChoiceRule(asRule(sub, scope), input, scope)) return false;
    return true;
  }
  if (r.Or !== undefined) {
    if (!Array.isArray(r.Or)) throw runtimeError(scope.stateName, "The 'Or' field of a Choice rule must be an array of rules");
    for (const sub of r.Or) if (evaluateChoiceRule(asRule(sub, scope), input, scope)) return true;
    return false;
  }
  if (r.Not !== undefined) return !evaluateChoiceRule(asRule(r.Not, scope), input, scope);

  const variable = r.Variable;
  if (typeof variable !== 'string') {
    throw runtimeError(scope.stateName, "A Choice rule must have 'And', 'Or', 'Not' or a 'Variable' with a comparison operator");
  }
  const op = operatorOf(r);
  if (op === null) throw runtimeError(scope.stateName, `The Choice rule on '${variable}' has no comparison operator`);

  const value = evaluatePath(parsePathOrThrow(variable, scope.stateName), input, scope);
  const expected = r[op.key];
  if (op.kind === 'present') return typeof expected === 'boolean' && !(value instanceof PathMiss) === expected;
  if (value instanceof PathMiss) throw invalidConditionPath(variable, scope);

  switch (op.kind) {
    case 'type':
      return typeof expected === 'boolean' && op.test(value) === expected;
    case 'matches':
      if (typeof value !== 'string' || typeof expected !== 'string') return false;
      try {
        return stringMatches(value, expected);
      } catch (e) {
        if (e instanceof PatternError) throw runtimeError(scope.stateName, `Invalid StringMatches pattern: ${e.message}`);
        throw e;
      }
    case 'compare': {
      let operand = expected as JsonValue;
      if (op.path) {
        if (typeof operand !== 'string') throw runtimeError(scope.stateName, `The value of '${op.key}' must be a path`);
        const resolved = evaluatePath(parsePathOrThrow(operand, scope.stateName), input, scope);
        if (resolved instanceof PathMiss) throw invalidConditionPath(operand, scope);
        operand = resolved;
      }
      const order = compareTyped(op.comparison.type, value, operand);
      return order !== undefined && op.comparison.holds(order);
    }
  }
}

function asRule(v: unknown, scope: EvaluationScope): object {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw runtimeError(scope.stateName, 'A nested Choice rule must be an object');
  return v;
}

function invalidConditionPath(path: string, scope: EvaluationScope) {
  return runtimeError(scope.stateName, `Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

/** The order of two operands of `type`, or undefined when either is not of that type. */
function compareTyped(type: OperandType, a: JsonValue, b: JsonValue): number | undefined {
  switch (type) {
    case 'string':
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'numeric':
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'boolean':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return undefined;
      return a === b ? 0 : 1;
    case 'timestamp': {
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      const ta = parseTimestamp(a);
      const tb = parseTimestamp(b);
      if (ta === undefined || tb === undefined) return undefined;
      return compareInstants(ta, tb);
    }
  }
}
