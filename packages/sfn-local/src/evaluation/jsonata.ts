import { createRequire } from 'node:module';
import type { JsonValue } from '@saga/asl';
import type jsonata from 'jsonata';
import type { ContextObject } from '../context-object.js';
import { StatesError } from '../errors.js';
import type { Random } from '../random.js';
import { deepClone, setKey, type JsonObject } from './json.js';
import { AWS_FUNCTIONS, RANDOM_BINDING } from './jsonata-functions.js';

/**
 * JSONata in Step Functions: any string that is exactly `{% expression %}` (in the field itself or
 * nested in its objects and arrays) is replaced by the expression's value. The expression sees no
 * input document; it reads `$states.input`, `$states.context`, `$states.result`,
 * `$states.errorOutput` and the workflow variables (`$name`), plus AWS's extra functions.
 * `$eval` is disabled.
 *
 * Any failure is States.QueryEvaluationError whose cause names the expression and the field as AWS
 * does (`Output/items[0]/id`): "The JSONata expression '...' specified for the field '...'
 * returned nothing (undefined)." or "... threw an error during evaluation. <code>: <message>".
 * A JSON `null` is a value; an unassigned variable is undefined, as in JSONata.
 */

export interface JsonataBindings {
  /** `$states.input`: the state's input. */
  input: JsonValue;
  /** `$states.context`. */
  context: ContextObject;
  /** `$states.result`: Task/Map/Parallel `Output` and `Assign` only. */
  result?: JsonValue;
  /** `$states.errorOutput`: a Catcher's `Output` and `Assign` only. */
  errorOutput?: JsonValue;
  variables: Readonly<Record<string, JsonValue>>;
  random: Random;
}

/** Guards against runaway expressions. AWS documents a 1 s limit; wall-clock time here includes
 * time the event loop spends on other executions, so the bound is looser. */
export const JSONATA_LIMITS = { timeout: 5_000, stack: 10_000 } as const;

/** Whether a value is a JSONata expression string: `{%` ... `%}` with nothing around them. */
export function isJsonataExpression(s: unknown): s is string {
  return typeof s === 'string' && s.length >= 4 && s.startsWith('{%') && s.endsWith('%}');
}

interface Compiled {
  expression: jsonata.Expression | undefined;
  /** The parser's error when the text does not compile. */
  error: string | undefined;
  /** The expression uses `[]` (keep-array), for which JSONata flags the arrays it returns. */
  mutatesArrays: boolean;
}

const MAX_CACHE = 10_000;
const cache = new Map<string, Compiled>();

let library: typeof jsonata | undefined;

/**
 * The jsonata package, loaded on the first expression compiled: a machine written in JSONPath
 * never needs it. Required rather than imported: it is CommonJS, and an `import` of it makes Node
 * scan its 300 KB for named exports first (about 30 ms and 10 MiB of every start-up here).
 */
function jsonataLibrary(): typeof jsonata {
  return (library ??= createRequire(import.meta.url)('jsonata') as typeof jsonata);
}

function compile(source: string): Compiled {
  let c = cache.get(source);
  if (c !== undefined) return c;
  try {
    const expression = jsonataLibrary()(source.slice(2, -2), { ...JSONATA_LIMITS });
    for (const f of AWS_FUNCTIONS) expression.registerFunction(f.name, f.implementation, f.signature);
    expression.assign('eval', undefined);
    c = { expression, error: undefined, mutatesArrays: usesKeepArray(expression.ast()) };
  } catch (e) {
    c = { expression: undefined, error: errorText(e), mutatesArrays: false };
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(source, c);
  return c;
}

/** `expr[]` makes JSONata set a `keepSingleton` flag on the array it returns, which may be an input array. */
function usesKeepArray(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object' || depth > 200) return false;
  if (Array.isArray(node)) return node.some((n) => usesKeepArray(n, depth + 1));
  const o = node as Record<string, unknown>;
  if (o.keepArray === true || o.keepSingletonArray === true) return true;
  for (const key of Object.keys(o)) if (usesKeepArray(o[key], depth + 1)) return true;
  return false;
}

function errorText(e: unknown): string {
  if (e !== null && typeof e === 'object') {
    const err = e as { code?: unknown; message?: unknown };
    const message = typeof err.message === 'string' ? err.message : String(e);
    return typeof err.code === 'string' ? `${err.code}: ${message}` : message;
  }
  return String(e);
}

/**
 * Evaluates every `{% %}` string in `value` (itself, or nested in objects and arrays) and returns
 * the evaluated copy; parts without expressions are shared, not copied. `location` names the
 * field (`Output`, `Arguments`, `Choices[0]/Condition`); nested values extend it (`Output/a[0]`).
 */
export async function evaluateJsonata(value: JsonValue, bindings: JsonataBindings, location: string): Promise<JsonValue> {
  const env = new EvalEnv(bindings);
  return walk(value, env, location);
}

class EvalEnv {
  private plain: Record<string, unknown> | undefined;
  private cloned: Record<string, unknown> | undefined;

  constructor(private readonly b: JsonataBindings) {}

  /** The bindings for one evaluation; deep copies when the expression would flag input arrays. */
  get(copy: boolean): Record<string, unknown> {
    if (!copy) return (this.plain ??= this.build(false));
    return (this.cloned ??= this.build(true));
  }

  private build(copy: boolean): Record<string, unknown> {
    const b = this.b;
    const c = <T extends JsonValue | undefined>(v: T): T => (copy && v !== undefined ? deepClone(v as JsonValue) : v) as T;
    const states: Record<string, unknown> = { input: c(b.input), context: c(b.context as unknown as JsonValue) };
    if (b.result !== undefined) states.result = c(b.result);
    if (b.errorOutput !== undefined) states.errorOutput = c(b.errorOutput);
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(b.variables)) out[name] = c(b.variables[name]!);
    out.states = states;
    out[RANDOM_BINDING] = b.random;
    return out;
  }
}

async function walk(value: JsonValue, env: EvalEnv, location: string): Promise<JsonValue> {
  if (typeof value === 'string') return isJsonataExpression(value) ? evaluateOne(value, env, location) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: JsonValue[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = await walk(value[i]!, env, `${location}[${i}]`);
      if (v !== value[i] && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(v);
    }
    return out ?? value;
  }
  let out: JsonObject | undefined;
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = await walk(value[key]!, env, `${location}/${key}`);
    if (v !== value[key] && out === undefined) {
      out = {};
      for (let j = 0; j < i; j++) setKey(out, keys[j]!, value[keys[j]!]!);
    }
    if (out !== undefined) setKey(out, key, v);
  }
  return out ?? value;
}

async function evaluateOne(source: string, env: EvalEnv, location: string): Promise<JsonValue> {
  const text = source.slice(2, -2).trim();
  const prefix = `The JSONata expression '${text}' specified for the field '${location}'`;
  const c = compile(source);
  if (c.expression === undefined) {
    throw new StatesError('States.QueryEvaluationError', `${prefix} could not be parsed. ${c.error}`);
  }
  let result: unknown;
  try {
    result = await c.expression.evaluate(undefined, env.get(c.mutatesArrays));
  } catch (e) {
    throw new StatesError('States.QueryEvaluationError', `${prefix} threw an error during evaluation. ${errorText(e)}`);
  }
  const json = toJson(result);
  if (json === undefined) throw new StatesError('States.QueryEvaluationError', `${prefix} returned nothing (undefined).`);
  if (json === FUNCTION) {
    throw new StatesError('States.QueryEvaluationError', `${prefix} returned a function, which is not a JSON value.`);
  }
  return json;
}

// ---------------------------------------------------------------- results to JSON

const FUNCTION = Symbol('function');

function isFunctionValue(v: unknown): boolean {
  if (typeof v === 'function') return true;
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return o._jsonata_lambda === true || o._jsonata_function === true || o._jsonata_regex !== undefined;
}

function isFlaggedArray(a: unknown[]): boolean {
  const f = a as unknown as Record<string, unknown>;
  return f.sequence !== undefined || f.keepSingleton !== undefined || f.outerWrapper !== undefined || f.tupleStream !== undefined || f.cons !== undefined;
}

/**
 * Converts a JSONata result to plain JSON, sharing whatever already is: JSONata's sequences become
 * plain arrays, non-finite numbers their names (`"Infinity"`, `"NaN"`, as AWS writes them),
 * functions and undefined are dropped from objects (null in arrays, as JSON.stringify does).
 */
function toJson(v: unknown, depth = 0): JsonValue | undefined | typeof FUNCTION {
  if (v === undefined) return undefined;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (isFunctionValue(v)) return FUNCTION;
  if (typeof v !== 'object') return undefined;
  if (depth > 10_000) throw new StatesError('States.QueryEvaluationError', 'The JSONata result is nested too deeply');
  if (Array.isArray(v)) {
    let out: JsonValue[] | undefined = isFlaggedArray(v) ? [] : undefined;
    for (let i = 0; i < v.length; i++) {
      const item = v[i] as unknown;
      let j = toJson(item, depth + 1);
      if (j === undefined || j === FUNCTION) j = null;
      if (j !== item && out === undefined) out = v.slice(0, i) as JsonValue[];
      if (out !== undefined) out.push(j);
    }
    return out ?? (v as JsonValue[]);
  }
  const o = v as Record<string, unknown>;
  let out: JsonObject | undefined;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const item = o[keys[i]!];
    const j = toJson(item, depth + 1);
    const drop = j === undefined || j === FUNCTION;
    if ((drop || j !== item) && out === undefined) {
      out = {};
      for (let k = 0; k < i; k++) setKey(out, keys[k]!, o[keys[k]!] as JsonValue);
    }
    if (out !== undefined && !drop) setKey(out, keys[i]!, j as JsonValue);
  }
  return out ?? (o as JsonObject);
}
