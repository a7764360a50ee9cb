import type { JsonValue } from '@saga/asl';
import { runtimeError } from '../errors.js';
import { hasKey, isJsonObject, jsonEquals, jsonTypeOf, preview, type JsonObject } from './json.js';
import {
  formatPath,
  parsePath,
  PathSyntaxError,
  type FilterExpr,
  type FilterOperand,
  type ParsedPath,
  type Segment,
} from './path-parser.js';
import type { EvaluationScope } from './scope.js';

/**
 * JSONPath evaluation with Jayway's semantics, which Step Functions uses:
 * - a definite path (only `.name`, `['name']`, `[n]`) yields one value, or fails: "Missing property
 *   in path $['a']" for a missing intermediate, "No results for path: ..." for a missing leaf or an
 *   index out of range;
 * - an indefinite path (wildcard, slice, filter, index union, deep scan) yields the array of its
 *   matches, possibly empty; past the first indefinite step, misses are skipped silently, while the
 *   definite steps before it still fail as above;
 * - a union of names as the last step (`$['a','b']`) yields one object holding those properties.
 *
 * Values are returned by reference (no copies); callers never mutate them.
 */

/** Why a path matched nothing. `soft`: Jayway's "no results" (leaf missing, index out of range). */
export class PathMiss {
  constructor(
    readonly detail: string,
    readonly soft: boolean,
  ) {}
}

/** Parses a path or throws States.Runtime naming it. */
export function parsePathOrThrow(path: string, stateName: string): ParsedPath {
  try {
    return parsePath(path);
  } catch (e) {
    if (e instanceof PathSyntaxError) throw runtimeError(stateName, `Invalid path '${path}' : ${e.message}`);
    throw e;
  }
}

/**
 * Evaluates a path: `$...` on `input`, `$$...` on the context object, `$name...` on a variable.
 * An indefinite path returns the array of its matches; a definite path the single value.
 * No match -> States.Runtime "Invalid path '<path>' : <reason>".
 */
export function queryPath(path: string, input: JsonValue, scope: EvaluationScope): JsonValue {
  if (path === '$') return input;
  const result = evaluatePath(parsePathOrThrow(path, scope.stateName), input, scope);
  if (result instanceof PathMiss) throw runtimeError(scope.stateName, `Invalid path '${path}' : ${result.detail}`);
  return result;
}

/** Evaluates a parsed path; a miss is returned (not thrown) so callers can word their own error. */
export function evaluatePath(path: ParsedPath, input: JsonValue, scope: EvaluationScope | undefined): JsonValue | PathMiss {
  let start: JsonValue;
  switch (path.root) {
    case '$':
    case '@':
      start = input;
      break;
    case '$$':
      if (scope === undefined) return new PathMiss('The context object is not available here', false);
      start = scope.context as unknown as JsonValue;
      break;
    case 'variable': {
      const name = path.variable!;
      if (scope === undefined || !hasKey(scope.variables, name)) {
        return new PathMiss(`The variable '$${name}' is not assigned`, false);
      }
      start = scope.variables[name]!;
      break;
    }
  }
  let result: JsonValue | PathMiss;
  if (path.definite && path.fn === undefined) {
    result = walkDefinite(path, start, path.segments.length);
  } else {
    result = walkIndefinite(path, start, { scope, root: start });
  }
  if (path.fn !== undefined && !(result instanceof PathMiss)) return applyFunction(path, result);
  return result;
}

// ---------------------------------------------------------------- definite paths

function walkDefinite(path: ParsedPath, start: JsonValue, count: number): JsonValue | PathMiss {
  const segs = path.segments;
  let cur = start;
  for (let k = 0; k < count; k++) {
    const seg = segs[k]!;
    const leaf = k === segs.length - 1;
    if (seg.kind === 'name') {
      if (isJsonObject(cur)) {
        if (hasKey(cur, seg.name)) {
          cur = cur[seg.name]!;
          continue;
        }
        return leaf
          ? new PathMiss(`No results for path: ${formatPath(path)}`, true)
          : new PathMiss(`Missing property in path ${formatPath(path, k + 1)}`, false);
      }
      return notAnObject(path, k, cur);
    }
    if (seg.kind === 'index') {
      if (Array.isArray(cur)) {
        const idx = seg.index < 0 ? cur.length + seg.index : seg.index;
        if (idx >= 0 && idx < cur.length) {
          cur = cur[idx]!;
          continue;
        }
        return new PathMiss(`No results for path: ${formatPath(path)}`, true);
      }
      if (cur === null) return new PathMiss(`The path ${formatPath(path, k)} is null`, false);
      return new PathMiss(`Filter: [${seg.index}] can only be applied to arrays. Current context is: ${preview(cur)}`, false);
    }
    if (seg.kind === 'names' && seg.merge) {
      if (!isJsonObject(cur)) return notAnObject(path, k, cur);
      const merged: JsonObject = {};
      for (const name of seg.names) if (hasKey(cur, name)) merged[name] = cur[name]!;
      cur = merged;
      continue;
    }
    throw new Error(`walkDefinite: unexpected segment ${seg.kind}`);
  }
  return cur;
}

function notAnObject(path: ParsedPath, k: number, cur: JsonValue): PathMiss {
  const seg = path.segments[k]!;
  const prop = seg.kind === 'names' ? seg.names.map((n) => `'${n}'`).join(',') : `'${(seg as { name: string }).name}'`;
  return new PathMiss(
    `Expected to find an object with property [${prop}] in path ${formatPath(path, k)} but found '${jsonTypeOf(cur)}'`,
    false,
  );
}

// ---------------------------------------------------------------- indefinite paths

interface Env {
  scope: EvaluationScope | undefined;
  /** The document `$` refers to inside filters. */
  root: JsonValue;
}

function walkIndefinite(path: ParsedPath, start: JsonValue, env: Env): JsonValue | PathMiss {
  const segs = path.segments;
  let p = 0;
  while (p < segs.length && (segs[p]!.kind === 'name' || segs[p]!.kind === 'index')) p++;
  let cur = start;
  if (p > 0) {
    const prefix = walkDefinite(path, start, p);
    if (prefix instanceof PathMiss) {
      // A definite path that ends in a function (`$.a.length()`) keeps the miss; otherwise an index
      // out of range before the first indefinite step just means no matches.
      if (prefix.soft && p < segs.length) return [];
      return prefix;
    }
    cur = prefix;
  }
  if (p === segs.length) return cur; // definite path with a trailing function
  const out: JsonValue[] = [];
  collect(segs, p, cur, out, env);
  return out;
}

/** Applies segments[k..] to `node`, pushing every match; misses are skipped. */
function collect(segs: readonly Segment[], k: number, node: JsonValue, out: JsonValue[], env: Env): void {
  if (k === segs.length) {
    out.push(node);
    return;
  }
  const seg = segs[k]!;
  if (seg.kind === 'scan') {
    scan(segs, k, seg.target, node, out, env, true);
    return;
  }
  forEachMatch(seg, node, env, (v) => collect(segs, k + 1, v, out, env));
}

/** Calls `f` with every value `seg` selects from `node` (lenient: nothing on a type mismatch). */
function forEachMatch(seg: Segment, node: JsonValue, env: Env, f: (v: JsonValue) => void): void {
  switch (seg.kind) {
    case 'name':
      if (isJsonObject(node) && hasKey(node, seg.name)) f(node[seg.name]!);
      return;
    case 'index':
      if (Array.isArray(node)) {
        const idx = seg.index < 0 ? node.length + seg.index : seg.index;
        if (idx >= 0 && idx < node.length) f(node[idx]!);
      }
      return;
    case 'names':
      if (!isJsonObject(node)) return;
      if (seg.merge) {
        const merged: JsonObject = {};
        for (const name of seg.names) if (hasKey(node, name)) merged[name] = node[name]!;
        f(merged);
      } else {
        for (const name of seg.names) if (hasKey(node, name)) f(node[name]!);
      }
      return;
    case 'indexes':
      if (Array.isArray(node)) {
        for (const i of seg.indexes) {
          const idx = i < 0 ? node.length + i : i;
          if (idx >= 0 && idx < node.length) f(node[idx]!);
        }
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) for (const v of node) f(v);
      else if (isJsonObject(node)) for (const key of Object.keys(node)) f(node[key]!);
      return;
    case 'slice':
      if (Array.isArray(node)) for (const idx of sliceIndexes(node.length, seg.start, seg.end, seg.step)) f(node[idx]!);
      return;
    case 'filter':
      // On an array the filter selects elements; on an object it tests the object itself (Jayway).
      if (Array.isArray(node)) {
        for (const v of node) if (testFilter(seg.filter, v, env)) f(v);
      } else if (isJsonObject(node) && testFilter(seg.filter, node, env)) {
        f(node);
      }
      return;
    case 'scan':
      throw new Error('nested scan');
  }
}

/**
 * Deep scan (`..target`), pre-order as Jayway walks: each container's own matches, then its
 * children's. A filter target tests every descendant value once; other targets apply to every
 * container, the start node included.
 */
function scan(segs: readonly Segment[], k: number, target: Segment, node: JsonValue, out: JsonValue[], env: Env, isStart: boolean): void {
  if (target.kind === 'filter') {
    if (!isStart && testFilter(target.filter, node, env)) collect(segs, k + 1, node, out, env);
  } else if (node !== null && typeof node === 'object') {
    forEachMatch(target, node, env, (v) => collect(segs, k + 1, v, out, env));
  }
  if (Array.isArray(node)) {
    for (const v of node) if (target.kind === 'filter' || (v !== null && typeof v === 'object')) scan(segs, k, target, v, out, env, false);
  } else if (isJsonObject(node)) {
    for (const key of Object.keys(node)) {
      const v = node[key]!;
      if (target.kind === 'filter' || (v !== null && typeof v === 'object')) scan(segs, k, target, v, out, env, false);
    }
  }
}

/** Indexes selected by `[start:end:step]` (Python semantics; negative bounds count from the end). */
export function sliceIndexes(length: number, start: number | undefined, end: number | undefined, step: number): number[] {
  const out: number[] = [];
  const norm = (v: number) => (v < 0 ? Math.max(length + v, step > 0 ? 0 : -1) : Math.min(v, step > 0 ? length : length - 1));
  if (step > 0) {
    const s = start === undefined ? 0 : norm(start);
    const e = end === undefined ? length : norm(end);
    for (let i = s; i < e; i += step) out.push(i);
  } else {
    const s = start === undefined ? length - 1 : norm(start);
    const e = end === undefined ? -1 : norm(end);
    for (let i = s; i > e; i += step) out.push(i);
  }
  return out;
}

// ---------------------------------------------------------------- filters

const UNDEFINED = Symbol('undefined');
type FilterValue = JsonValue | typeof UNDEFINED;

function testFilter(expr: FilterExpr, item: JsonValue, env: Env): boolean {
  switch (expr.kind) {
    case 'or':
      return testFilter(expr.left, item, env) || testFilter(expr.right, item, env);
    case 'and':
      return testFilter(expr.left, item, env) && testFilter(expr.right, item, env);
    case 'not':
      return !testFilter(expr.expr, item, env);
    case 'constant':
      return expr.value;
    case 'exists': {
      const v = operandPath(expr.path, item, env);
      return v !== UNDEFINED && !(Array.isArray(v) && !expr.path.definite && v.length === 0);
    }
    case 'compare':
      return compare(expr.op, operandValue(expr.left, item, env), expr.right, operandValue(expr.right, item, env));
  }
}

function operandValue(op: FilterOperand, item: JsonValue, env: Env): FilterValue {
  if (op.kind === 'value') return op.value;
  if (op.kind === 'regex') return UNDEFINED;
  return operandPath(op.path, item, env);
}

function operandPath(path: ParsedPath, item: JsonValue, env: Env): FilterValue {
  const base = path.root === '@' ? item : env.root;
  const r = evaluatePath(path, base, env.scope);
  return r instanceof PathMiss ? UNDEFINED : r;
}

function looseEquals(a: FilterValue, b: FilterValue): boolean {
  if (a === UNDEFINED || b === UNDEFINED) return false;
  // Jayway compares a number with a string holding a number by value.
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return jsonEquals(a, b);
}

function order(a: FilterValue, b: FilterValue): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function compare(op: string, left: FilterValue, rightOperand: FilterOperand, right: FilterValue): boolean {
  switch (op) {
    case '==':
      return looseEquals(left, right);
    case '!=':
      return !looseEquals(left, right);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const o = order(left, right);
      if (o === undefined || Number.isNaN(o)) return false;
      return op === '<' ? o < 0 : op === '<=' ? o <= 0 : op === '>' ? o > 0 : o >= 0;
    }
    case '=~':
      return typeof left === 'string' && rightOperand.kind === 'regex' && rightOperand.regex.test(left);
    case 'in':
      return Array.isArray(right) && right.some((r) => looseEquals(left, r));
    case 'nin':
      return Array.isArray(right) && !right.some((r) => looseEquals(left, r));
    case 'subsetof':
      return Array.isArray(left) && Array.isArray(right) && left.every((l) => right.some((r) => jsonEquals(l, r)));
    case 'anyof':
      return Array.isArray(left) && Array.isArray(right) && left.some((l) => right.some((r) => jsonEquals(l, r)));
    case 'noneof':
      return Array.isArray(left) && Array.isArray(right) && !left.some((l) => right.some((r) => jsonEquals(l, r)));
    case 'size':
      return (Array.isArray(left) || typeof left === 'string') && typeof right === 'number' && left.length === right;
    case 'empty':
      return (Array.isArray(left) || typeof left === 'string') && typeof right === 'boolean' && (left.length === 0) === right;
    case 'contains':
      if (Array.isArray(left)) return left.some((l) => right !== UNDEFINED && jsonEquals(l, right));
      return typeof left === 'string' && typeof right === 'string' && left.includes(right);
    default:
      return false;
  }
}

// ---------------------------------------------------------------- functions

function applyFunction(path: ParsedPath, value: JsonValue): JsonValue | PathMiss {
  const fn = path.fn!;
  const fail = (why: string) => new PathMiss(`Function ${fn}() ${why} (path ${path.source})`, false);
  switch (fn) {
    case 'length':
    case 'size':
      if (Array.isArray(value) || typeof value === 'string') return value.length;
      if (isJsonObject(value)) return Object.keys(value).length;
      return fail(`cannot be applied to ${jsonTypeOf(value)}`);
    case 'keys':
      if (isJsonObject(value)) return Object.keys(value);
      return fail(`cannot be applied to ${jsonTypeOf(value)}`);
    case 'first':
    case 'last':
      if (!Array.isArray(value)) return fail(`cannot be applied to ${jsonTypeOf(value)}`);
      if (value.length === 0) return fail('was applied to an empty array');
      return fn === 'first' ? value[0]! : value[value.length - 1]!;
    default: {
      const nums = (Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number');
      if (nums.length === 0) return fail('attempted to calculate a value using an empty array');
      if (fn === 'min') return Math.min(...nums);
      if (fn === 'max') return Math.max(...nums);
      const sum = nums.reduce((a, b) => a + b, 0);
      if (fn === 'sum') return sum;
      const avg = sum / nums.length;
      if (fn === 'avg') return avg;
      return Math.sqrt(nums.reduce((a, b) => a + (b - avg) ** 2, 0) / nums.length);
    }
  }
}
