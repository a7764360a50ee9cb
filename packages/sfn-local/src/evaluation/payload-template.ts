import type { JsonValue } from '@saga/asl';
import { runtimeError } from '../errors.js';
import { evaluateIntrinsic, isIntrinsicCall } from './intrinsic.js';
import { isJsonObject, preview, setKey, type JsonObject } from './json.js';
import { parsePath, type ParsedPath } from './path-parser.js';
import { evaluatePath, parsePathOrThrow, PathMiss } from './path-query.js';
import type { EvaluationScope } from './scope.js';

/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, JSONPath Assign, Credentials): a
 * key ending in `.$` loses the suffix and its value (a path, a context path, a variable path or an
 * intrinsic call) is evaluated against the input; objects nested in objects and in arrays are
 * templates too; every other value is copied as written.
 *
 * A template is compiled once into a closure (cached per template object) and its constant parts
 * are shared with the definition rather than copied: state data is never mutated.
 */

type Compiled = (input: JsonValue, scope: EvaluationScope) => JsonValue;

const compiled = new WeakMap<object, Compiled | null>();

export function evaluatePayloadTemplate(template: JsonValue, input: JsonValue, scope: EvaluationScope): JsonValue {
  if (template === null || typeof template !== 'object') return template;
  const fn = compiledTemplate(template);
  return fn === null ? template : fn(input, scope);
}

/**
 * The template as a function of the input, for callers that keep it (a state's pipeline): the
 * compiled closure, or one returning the template itself when it holds no `.$` key.
 */
export function payloadFunction(template: JsonValue): (input: JsonValue, scope: EvaluationScope) => JsonValue {
  const fn = template !== null && typeof template === 'object' ? compiledTemplate(template) : null;
  return fn ?? (() => template);
}

function compiledTemplate(template: JsonValue[] | JsonObject): Compiled | null {
  let fn = compiled.get(template);
  if (fn === undefined) {
    fn = compile(template);
    compiled.set(template, fn);
  }
  return fn;
}

/** A closure building the value, or null when the value holds no `.$` key (it is used as is). */
function compile(node: JsonValue): Compiled | null {
  if (Array.isArray(node)) {
    const items = node.map(compile);
    if (items.every((c) => c === null)) return null;
    return (input, scope) => items.map((c, i) => (c === null ? node[i]! : c(input, scope)));
  }
  if (!isJsonObject(node)) return null;
  const fields: { name: string; value: JsonValue; fn: Compiled | null }[] = [];
  let dynamic = false;
  for (const key of Object.keys(node)) {
    const value = node[key]!;
    if (key.endsWith('.$')) {
      fields.push({ name: key.slice(0, -2), value, fn: compileDynamic(key, value) });
      dynamic = true;
    } else {
      const fn = compile(value);
      if (fn !== null) dynamic = true;
      fields.push({ name: key, value, fn });
    }
  }
  if (!dynamic) return null;
  // Built key by key into a new object. Cloning a prepared object with the template's keys
  // (`{ ...shape }`) skipped the shape changes once optimized, but one spread site serving every
  // template of a machine goes megamorphic and clones through the runtime while the engine warms up.
  const protoKey = fields.some((f) => f.name === '__proto__');
  // An indexed loop: `for...of` makes an iterator result per field until the engine is optimized.
  return (input, scope) => {
    const out: JsonObject = {};
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const value = f.fn === null ? f.value : f.fn(input, scope);
      if (protoKey) setKey(out, f.name, value);
      else out[f.name] = value;
    }
    return out;
  };
}

function compileDynamic(key: string, value: JsonValue): Compiled {
  if (typeof value !== 'string') {
    return (_input, scope) => {
      throw runtimeError(scope.stateName, `The value for the field '${key}' must be a JSONPath or an intrinsic function call, but was ${preview(value)}`);
    };
  }
  if (isIntrinsicCall(value)) return (input, scope) => evaluateIntrinsic(value, input, scope);
  if (value === '$') return (input) => input;
  // Parsed once here; a path that does not parse fails each evaluation, naming the state.
  let parsed: ParsedPath | undefined;
  try {
    parsed = parsePath(value);
  } catch {
    parsed = undefined;
  }
  return (input, scope) => {
    const path = parsed ?? parsePathOrThrow(value, scope.stateName);
    const result = evaluatePath(path, input, scope);
    if (result instanceof PathMiss) {
      const where =
        path.root === '$$'
          ? `the context object (${result.detail})`
          : path.root === 'variable'
            ? `the variables (${result.detail})`
            : `the input '${preview(input, 1024)}'`;
      throw runtimeError(scope.stateName, `The JSONPath '${value}' specified for the field '${key}' could not be found in ${where}`);
    }
    return result;
  };
}
