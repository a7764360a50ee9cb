import { createRequire } from 'node:module';
import type jsonata from 'jsonata';
import { MAX_VALUE_DEPTH, type Validator } from './context.js';
import { isObject, keysOf, type JsonObject } from './fields.js';
import { checkVariableName } from './names.js';

/**
 * JSONata-mode checks on `{% ... %}` strings: the expression parses (INVALID_JSONATA_EXPRESSION,
 * with the parser's message as AWS reports it), the delimiters are not padded with whitespace, the
 * expression does not read a field, `$` or `$$` at the top level (there is no context document;
 * AWS: UNSUPPORTED_JSONATA_EXPRESSION "Reference to 'phone' at the top level is not supported."),
 * and `$states.result` / `$states.errorOutput` are used only where Step Functions provides them.
 *
 * Parsed expressions are cached by text, so re-validating a definition costs no parsing.
 */

interface Analysis {
  /** The parser's message when the expression does not parse. */
  syntaxError?: string;
  /** Top-level references (`phone`, `$`, `$$`), in order. */
  topLevel: string[];
  usesResult: boolean;
  usesErrorOutput: boolean;
}

const MAX_CACHE = 5000;
const cache = new Map<string, Analysis>();

let library: typeof jsonata | undefined;

/**
 * The jsonata package, loaded on the first expression checked: a definition written in JSONPath
 * never needs it. Required rather than imported: it is CommonJS, and an `import` of it makes Node
 * scan its 300 KB for named exports first (about 30 ms and 10 MiB of every start-up).
 */
function jsonataLibrary(): typeof jsonata {
  return (library ??= createRequire(import.meta.url)('jsonata') as typeof jsonata);
}

interface AstNode {
  type?: string;
  value?: unknown;
  steps?: AstNode[];
  [key: string]: unknown;
}

export function analyseJsonata(expression: string): Analysis {
  let a = cache.get(expression);
  if (a !== undefined) return a;
  a = { topLevel: [], usesResult: false, usesErrorOutput: false };
  try {
    const ast = jsonataLibrary()(expression).ast() as AstNode;
    collectTopLevel(ast, a.topLevel, 0);
    scanStates(ast, a, 0);
  } catch (e) {
    const message = (e as { message?: unknown } | null)?.message;
    a.syntaxError = typeof message === 'string' && message !== '' ? message : String(e);
  }
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(expression, a);
  return a;
}

/**
 * Names evaluated against the (absent) context document. Conservative: only node types whose
 * evaluation context is known are followed; predicates, later path steps and lambda bodies are not.
 */
function collectTopLevel(node: AstNode | undefined, out: string[], depth: number): void {
  if (node === undefined || node === null || typeof node !== 'object' || depth > MAX_VALUE_DEPTH) return;
  switch (node.type) {
    case 'name':
      out.push(String(node.value));
      return;
    case 'variable':
      if (node.value === '') out.push('$');
      else if (node.value === '$') out.push('$$');
      return;
    case 'path':
      collectTopLevel(node.steps?.[0], out, depth + 1);
      return;
    case 'binary':
    case 'apply':
      collectTopLevel(node.lhs as AstNode, out, depth + 1);
      collectTopLevel(node.rhs as AstNode, out, depth + 1);
      return;
    case 'bind':
      collectTopLevel(node.rhs as AstNode, out, depth + 1);
      return;
    case 'condition':
      collectTopLevel(node.condition as AstNode, out, depth + 1);
      collectTopLevel(node.then as AstNode, out, depth + 1);
      collectTopLevel(node.else as AstNode, out, depth + 1);
      return;
    case 'block':
      for (const e of (node.expressions as AstNode[] | undefined) ?? []) collectTopLevel(e, out, depth + 1);
      return;
    case 'function':
    case 'partial':
      for (const e of (node.arguments as AstNode[] | undefined) ?? []) collectTopLevel(e, out, depth + 1);
      return;
    case 'unary':
      if (node.value === '-') collectTopLevel(node.expression as AstNode, out, depth + 1);
      else if (node.value === '[') for (const e of (node.expressions as AstNode[] | undefined) ?? []) collectTopLevel(e, out, depth + 1);
      else if (node.value === '{') {
        for (const pair of (node.lhs as AstNode[][] | undefined) ?? []) {
          collectTopLevel(pair[0], out, depth + 1);
          collectTopLevel(pair[1], out, depth + 1);
        }
      }
      return;
    default:
      return;
  }
}

/** Finds `$states.result` and `$states.errorOutput` anywhere in the AST. */
function scanStates(node: unknown, a: Analysis, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > MAX_VALUE_DEPTH) return;
  if (Array.isArray(node)) {
    for (const x of node) scanStates(x, a, depth + 1);
    return;
  }
  const n = node as AstNode;
  if (n.type === 'path' && Array.isArray(n.steps) && n.steps.length >= 2) {
    const [first, second] = n.steps;
    if (first?.type === 'variable' && first.value === 'states' && second?.type === 'name') {
      if (second.value === 'result') a.usesResult = true;
      else if (second.value === 'errorOutput') a.usesErrorOutput = true;
    }
  }
  for (const key in n) {
    if (key !== 'position' && key !== 'value') scanStates(n[key], a, depth + 1);
  }
}

/** Where a JSONata value sits, for the `$states` availability rules. */
export interface JsonataPlace {
  /** `$states.result` is available (Output/Assign of Task, Parallel, Map). */
  result?: boolean;
  /** `$states.errorOutput` is available (a Catcher's Output/Assign). */
  errorOutput?: boolean;
}

const MALFORMED = "A JSONata expression must start with '{%' and end with '%}', with no whitespace outside the delimiters";

/** Checks one string of a JSONata field; plain strings (no `{%`) are literals. */
export function checkJsonataString(v: Validator, s: string, loc: string, place: JsonataPlace): void {
  if (s.length >= 4 && s.startsWith('{%') && s.endsWith('%}')) {
    const a = analyseJsonata(s.slice(2, -2));
    if (a.syntaxError !== undefined) {
      v.error('INVALID_JSONATA_EXPRESSION', a.syntaxError, loc);
      return;
    }
    for (const ref of a.topLevel) {
      v.error('UNSUPPORTED_JSONATA_EXPRESSION', `Reference to '${ref}' at the top level is not supported.`, loc);
    }
    if (a.usesResult && !place.result) {
      v.error(
        'UNSUPPORTED_JSONATA_EXPRESSION',
        "'$states.result' is only available in the Output and Assign fields of a Task, Parallel or Map state",
        loc,
      );
    }
    if (a.usesErrorOutput && !place.errorOutput) {
      v.error('UNSUPPORTED_JSONATA_EXPRESSION', "'$states.errorOutput' is only available in the Output and Assign fields of a Catcher", loc);
    }
    return;
  }
  const trimmed = s.trim();
  if (trimmed.startsWith('{%') && (trimmed !== s || !trimmed.endsWith('%}'))) {
    v.error('INVALID_JSONATA_EXPRESSION', MALFORMED, loc);
  }
}

/** Walks a JSONata-mode value (objects, arrays, strings) checking every expression string. */
export function checkJsonataValue(v: Validator, value: unknown, loc: string, place: JsonataPlace, depth = 0): void {
  if (typeof value === 'string') {
    checkJsonataString(v, value, loc, place);
  } else if (Array.isArray(value)) {
    if (depth > MAX_VALUE_DEPTH) return void v.error('TOO_DEEPLY_NESTED', `JSON value nesting exceeds ${MAX_VALUE_DEPTH} levels`, loc);
    for (let i = 0; i < value.length; i++) checkJsonataValue(v, value[i], `${loc}[${i}]`, place, depth + 1);
  } else if (isObject(value)) {
    if (depth > MAX_VALUE_DEPTH) return void v.error('TOO_DEEPLY_NESTED', `JSON value nesting exceeds ${MAX_VALUE_DEPTH} levels`, loc);
    for (const key of keysOf(value)) checkJsonataValue(v, value[key], `${loc}/${key}`, place, depth + 1);
  }
}

/** True when any string in the value mentions `needle`. */
export function valueMentions(value: unknown, needle: string, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(needle);
  if (depth > MAX_VALUE_DEPTH) return false;
  if (Array.isArray(value)) return value.some((x) => valueMentions(x, needle, depth + 1));
  if (isObject(value)) return keysOf(value).some((k) => valueMentions(value[k], needle, depth + 1));
  return false;
}

/** A JSONata `Assign` block: keys are variable names, values are JSONata values. */
export function checkJsonataAssign(v: Validator, obj: JsonObject, loc: string, place: JsonataPlace): void {
  for (const key of keysOf(obj)) {
    checkVariableName(v, key, loc);
    checkJsonataValue(v, obj[key], `${loc}/${key}`, place);
  }
}
