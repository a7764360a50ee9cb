import { MAX_VALUE_DEPTH, objectLocation, type StateCtx } from './context.js';
import {
  expectBoolean,
  expectNonEmptyArray,
  expectNumber,
  expectObject,
  expectString,
  has,
  isRfc3339,
  keysOf,
  requireFields,
  typeMessage,
} from './fields.js';
import { checkJsonataAssign, checkJsonataString, checkJsonataValue } from './jsonata.js';
import { checkPathField, checkPayloadTemplate } from './paths.js';
import { languageMessage } from './query-language.js';
import { addTarget } from './transitions.js';

/**
 * Choice rules. JSONPath: a Boolean expression (`And`/`Or` non-empty arrays, `Not`) or a data test
 * (`Variable` path + exactly one comparison operator with an operand of the right type); only
 * top-level rules have `Next` (and `Assign`). JSONata: `{Condition, Next, Output?, Assign?}`.
 */

type OperandKind = 'string' | 'number' | 'boolean' | 'timestamp' | 'path' | 'type-test';

function operators(): Map<string, OperandKind> {
  const ops = new Map<string, OperandKind>();
  const comparisons: [string, OperandKind][] = [
    ['StringEquals', 'string'],
    ['StringLessThan', 'string'],
    ['StringGreaterThan', 'string'],
    ['StringLessThanEquals', 'string'],
    ['StringGreaterThanEquals', 'string'],
    ['NumericEquals', 'number'],
    ['NumericLessThan', 'number'],
    ['NumericGreaterThan', 'number'],
    ['NumericLessThanEquals', 'number'],
    ['NumericGreaterThanEquals', 'number'],
    ['BooleanEquals', 'boolean'],
    ['TimestampEquals', 'timestamp'],
    ['TimestampLessThan', 'timestamp'],
    ['TimestampGreaterThan', 'timestamp'],
    ['TimestampLessThanEquals', 'timestamp'],
    ['TimestampGreaterThanEquals', 'timestamp'],
  ];
  for (const [name, kind] of comparisons) {
    ops.set(name, kind);
    ops.set(`${name}Path`, 'path');
  }
  ops.set('StringMatches', 'string');
  for (const t of ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) ops.set(t, 'type-test');
  return ops;
}

/** Comparison operators and the kind of operand each takes. */
export const CHOICE_OPERATORS: ReadonlyMap<string, OperandKind> = operators();

const BOOLEAN_OPERATORS = new Set(['And', 'Or', 'Not']);

function checkOperand(s: StateCtx, op: string, kind: OperandKind, x: unknown, loc: string): void {
  switch (kind) {
    case 'string':
      expectString(s.v, x, loc);
      return;
    case 'number':
      expectNumber(s.v, x, loc);
      return;
    case 'boolean':
    case 'type-test':
      expectBoolean(s.v, x, loc);
      return;
    case 'timestamp':
      if (expectString(s.v, x, loc) && !isRfc3339(x)) s.v.schema('String does not match RFC3339 timestamp', loc);
      return;
    case 'path':
      checkPathField(s.v, x, loc, op, false);
      return;
  }
}

function checkJsonPathRule(s: StateCtx, rule: unknown, loc: string, top: boolean, depth: number): void {
  if (!expectObject(s.v, rule, loc)) {
    if (top) s.node.dangling = true;
    return;
  }
  if (depth > MAX_VALUE_DEPTH) {
    s.v.error('TOO_DEEPLY_NESTED', `Choice Rules are nested more than ${MAX_VALUE_DEPTH} levels deep`, loc);
    return;
  }
  const keys = keysOf(rule);
  const ops: string[] = [];
  let booleans = 0;
  for (const key of keys) {
    if (CHOICE_OPERATORS.has(key)) ops.push(key);
    else if (BOOLEAN_OPERATORS.has(key)) booleans++;
    else if (key === 'Next' || key === 'Assign') {
      if (!top) s.v.schema(`Field '${key}' is not supported in a nested Choice Rule`, loc);
    } else if (key === 'Condition' || key === 'Output') s.v.schema(languageMessage('JSONPath', key), loc);
    else if (key !== 'Variable' && key !== 'Comment') s.v.schema(`Field '${key}' is not supported`, loc);
  }
  if (top && !requireFields(s.v, rule, loc, ['Next'])) s.node.dangling = true;
  if (booleans + (ops.length > 0 ? 1 : 0) !== 1) {
    s.v.schema("A Choice Rule must contain exactly one of 'And', 'Or', 'Not' or a comparison operator", loc);
  } else if (ops.length > 1) {
    s.v.schema(`A Choice Rule must contain exactly one comparison operator, found [${ops.join(', ')}]`, loc);
  }
  if (ops.length > 0) requireFields(s.v, rule, loc, ['Variable']);
  else if (booleans > 0 && has(rule, 'Variable')) s.v.schema("Field 'Variable' is only supported with a comparison operator", loc);

  for (const key of keys) {
    const x = rule[key];
    const at = `${loc}/${key}`;
    const kind = CHOICE_OPERATORS.get(key);
    if (kind !== undefined) checkOperand(s, key, kind, x, at);
    else if (key === 'Variable') checkPathField(s.v, x, at, 'Variable', false);
    else if (key === 'And' || key === 'Or') {
      if (expectNonEmptyArray(s.v, x, at)) x.forEach((r, i) => checkJsonPathRule(s, r, `${at}[${i}]`, false, depth + 1));
    } else if (key === 'Not') checkJsonPathRule(s, x, at, false, depth + 1);
    else if (key === 'Comment') expectString(s.v, x, at);
    else if (top && key === 'Next') addTarget(s, x, at);
    else if (top && key === 'Assign' && expectObject(s.v, x, at)) checkPayloadTemplate(s.v, x, at, { assign: true });
  }
}

const JSONATA_RULE_FIELDS = new Set(['Condition', 'Next', 'Output', 'Assign', 'Comment']);

function checkJsonataRule(s: StateCtx, rule: unknown, loc: string): void {
  if (!expectObject(s.v, rule, loc)) {
    s.node.dangling = true;
    return;
  }
  const keys = keysOf(rule);
  for (const key of keys) {
    if (JSONATA_RULE_FIELDS.has(key)) continue;
    if (key === 'Variable' || BOOLEAN_OPERATORS.has(key) || CHOICE_OPERATORS.has(key)) {
      s.v.schema(languageMessage('JSONata', key), objectLocation(loc));
    } else {
      s.v.schema(`Field '${key}' is not supported`, objectLocation(loc));
    }
  }
  if (!requireFields(s.v, rule, loc, ['Condition', 'Next']) && !has(rule, 'Next')) s.node.dangling = true;
  for (const key of keys) {
    const x = rule[key];
    const at = `${loc}/${key}`;
    if (key === 'Condition') {
      if (typeof x === 'string' && x.trimStart().startsWith('{%')) checkJsonataString(s.v, x, at, {});
      else if (typeof x !== 'boolean') s.v.schema(typeMessage('Boolean'), at);
    } else if (key === 'Next') addTarget(s, x, at);
    else if (key === 'Output') checkJsonataValue(s.v, x, at, {});
    else if (key === 'Assign' && expectObject(s.v, x, at)) checkJsonataAssign(s.v, x, at, {});
    else if (key === 'Comment') expectString(s.v, x, at);
  }
}

export function checkChoices(s: StateCtx, x: unknown, loc: string): void {
  if (!expectNonEmptyArray(s.v, x, loc)) {
    s.node.dangling = true;
    return;
  }
  x.forEach((rule, i) => {
    if (s.ql === 'JSONata') checkJsonataRule(s, rule, `${loc}[${i}]`);
    else checkJsonPathRule(s, rule, `${loc}[${i}]`, true, 0);
  });
}

export function checkDefault(s: StateCtx, x: unknown, loc: string): void {
  addTarget(s, x, loc);
}
