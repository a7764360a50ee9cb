import type { JsonValue } from '@saga/asl';
import { runtimeError, StatesError } from '../errors.js';
import { hasKey, isJsonObject, jsonTypeOf, preview, setKey } from './json.js';
import { formatPath, parsePath, type ParsedPath } from './path-parser.js';
import { parsePathOrThrow, queryPath } from './path-query.js';
import type { EvaluationScope } from './scope.js';

/**
 * The JSONPath-mode input/output pipeline fields: InputPath, ResultPath, OutputPath.
 * Absent (`undefined`) and `null` differ, as the States language says: an absent InputPath or
 * OutputPath is `$`; `null` gives `{}`. An absent ResultPath is `$`; `null` discards the result.
 */

/** InputPath: undefined -> input; null -> {}. */
export function applyInputPath(input: JsonValue, inputPath: string | null | undefined, scope: EvaluationScope): JsonValue {
  if (inputPath === undefined) return input;
  if (inputPath === null) return {};
  return queryPath(inputPath, input, scope);
}

/** OutputPath: undefined -> output; null -> {}. */
export function applyOutputPath(output: JsonValue, outputPath: string | null | undefined, scope: EvaluationScope): JsonValue {
  if (outputPath === undefined) return output;
  if (outputPath === null) return {};
  return queryPath(outputPath, output, scope);
}

/**
 * ResultPath: undefined or `$` -> the result; null -> the raw input unchanged; `$.a.b` -> a copy of
 * the raw input with the result at `a.b`, creating objects as needed and overwriting what is there.
 * Only the objects along the path are copied; the rest is shared with `rawInput`, never mutated.
 * A raw input (or an intermediate value) that is not an object -> States.ResultPathMatchFailure.
 */
export function applyResultPath(
  rawInput: JsonValue,
  result: JsonValue,
  resultPath: string | null | undefined,
  stateName: string,
): JsonValue {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return rawInput;
  const path = parsePathOrThrow(resultPath, stateName);
  if (path.root !== '$') {
    throw runtimeError(stateName, `Invalid ResultPath '${resultPath}' : a ResultPath cannot reference the context object or a variable`);
  }
  if (!path.reference) {
    throw runtimeError(stateName, `Invalid ResultPath '${resultPath}' : a ResultPath must be a Reference Path (only '.name', '['name']' and '[n]')`);
  }
  return setAt(path, 0, rawInput, result, rawInput);
}

/**
 * {@link applyResultPath} for one ResultPath, its path parsed once: what a state's pipeline keeps.
 * A ResultPath that is not a valid reference path fails each call, as applyResultPath does.
 */
export function resultPathFunction(resultPath: string | null | undefined): (rawInput: JsonValue, result: JsonValue, stateName: string) => JsonValue {
  if (resultPath === undefined || resultPath === '$') return takeResult;
  if (resultPath === null) return keepInput;
  let path: ParsedPath | undefined;
  try {
    path = parsePath(resultPath);
  } catch {
    path = undefined;
  }
  if (path === undefined || path.root !== '$' || !path.reference) {
    return (rawInput, result, stateName) => applyResultPath(rawInput, result, resultPath, stateName);
  }
  const parsed = path;
  return (rawInput, result) => setAt(parsed, 0, rawInput, result, rawInput);
}

const takeResult = (_rawInput: JsonValue, result: JsonValue): JsonValue => result;
const keepInput = (rawInput: JsonValue): JsonValue => rawInput;

function setAt(path: ParsedPath, k: number, node: JsonValue | undefined, result: JsonValue, rawInput: JsonValue): JsonValue {
  if (k === path.segments.length) return result;
  const seg = path.segments[k]!;
  if (seg.kind === 'name') {
    if (node === undefined) node = {};
    if (!isJsonObject(node)) throw matchFailure(path, k, node, rawInput);
    const child = hasKey(node, seg.name) ? node[seg.name] : undefined;
    // A clone then one store: a computed key in the literal itself goes through a slower path.
    const out = { ...node };
    setKey(out, seg.name, setAt(path, k + 1, child, result, rawInput));
    return out;
  }
  if (seg.kind === 'index' && Array.isArray(node)) {
    const idx = seg.index < 0 ? node.length + seg.index : seg.index;
    if (idx >= 0 && idx < node.length) {
      const copy = node.slice();
      copy[idx] = setAt(path, k + 1, node[idx], result, rawInput);
      return copy;
    }
  }
  throw matchFailure(path, k, node, rawInput);
}

function matchFailure(path: ParsedPath, k: number, node: JsonValue | undefined, rawInput: JsonValue): StatesError {
  const where = k === 0 ? 'the input' : `'${formatPath(path, k)}'`;
  const seg = path.segments[k]!;
  const what = seg.kind === 'index' ? (Array.isArray(node) ? `has no element [${seg.index}]` : `is ${describe(node)}, not an array`) : `is ${describe(node)}, not an object`;
  return new StatesError(
    'States.ResultPathMatchFailure',
    `Unable to apply ResultPath '${path.source}' to input ${preview(rawInput)}: ${where} ${what}`,
  );
}

function describe(v: JsonValue | undefined): string {
  const t = jsonTypeOf(v);
  return t === 'array' || t === 'object' || t === 'undefined' ? `${t === 'undefined' ? 'missing' : `an ${t}`}` : `a ${t}`;
}
