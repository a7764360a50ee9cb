import type { JsonValue, PayloadTemplate } from '@saga/asl';
import type { ContextObject } from '../context-object.js';
import {
  applyInputPath,
  applyOutputPath,
  applyResultPath,
  evaluateJsonata,
  evaluatePayloadTemplate,
  payloadFunction,
  resultPathFunction,
  type EvaluationScope,
} from '../evaluation/index.js';
import type { Scope } from './scope.js';
import { evaluationScope, jsonataBindings, languageOf } from './scope.js';

/**
 * The input/output pipeline of a state, in both query languages:
 * JSONPath: InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath -> OutputPath, Assign on the result;
 * JSONata: Arguments -> (work) -> Output, Assign on `$states.result`.
 */
interface IoFields {
  QueryLanguage?: 'JSONPath' | 'JSONata';
  InputPath?: string | null;
  Parameters?: PayloadTemplate;
  Arguments?: JsonValue;
  ResultSelector?: PayloadTemplate;
  ResultPath?: string | null;
  OutputPath?: string | null;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

/** The effective input of a state (what a task is invoked with). */
export function effectiveInput(
  state: IoFields,
  name: string,
  raw: JsonValue,
  scope: Scope,
  context: ContextObject,
): JsonValue | Promise<JsonValue> {
  // JSONPath evaluates synchronously; only JSONata returns a promise (callers await either).
  if (languageOf(state, scope) === 'JSONata') {
    if (state.Arguments === undefined) return raw;
    return evaluateJsonata(state.Arguments, jsonataBindings(scope, raw, context), 'Arguments');
  }
  return pipelineInput(jsonPathPipeline(state), raw, evaluationScope(scope, name, context));
}

/**
 * A JSONPath state's input/output pipeline worked out once per state (cached by the state object)
 * rather than on every run: its payload templates compiled and its ResultPath parsed.
 */
export interface JsonPathPipeline {
  readonly inputPath: string | null | undefined;
  readonly parameters: PayloadFunction | undefined;
  readonly resultSelector: PayloadFunction | undefined;
  readonly resultPath: (rawInput: JsonValue, result: JsonValue, stateName: string) => JsonValue;
  readonly outputPath: string | null | undefined;
  readonly assign: PayloadFunction | undefined;
}

type PayloadFunction = (input: JsonValue, scope: EvaluationScope) => JsonValue;

export function jsonPathPipeline(state: IoFields): JsonPathPipeline {
  let pipeline = pipelines.get(state);
  if (!pipeline) {
    pipeline = {
      inputPath: state.InputPath,
      parameters: state.Parameters === undefined ? undefined : payloadFunction(state.Parameters),
      resultSelector: state.ResultSelector === undefined ? undefined : payloadFunction(state.ResultSelector),
      resultPath: resultPathFunction(state.ResultPath),
      outputPath: state.OutputPath,
      assign: state.Assign === undefined ? undefined : payloadFunction(state.Assign as JsonValue),
    };
    pipelines.set(state, pipeline);
  }
  return pipeline;
}

const pipelines = new WeakMap<IoFields, JsonPathPipeline>();

/** {@link effectiveInput} of a JSONPath state, through its pipeline. */
export function pipelineInput(pipeline: JsonPathPipeline, raw: JsonValue, es: EvaluationScope): JsonValue {
  const filtered = pipeline.inputPath === undefined ? raw : applyInputPath(raw, pipeline.inputPath, es);
  return pipeline.parameters === undefined ? filtered : pipeline.parameters(filtered, es);
}

/** {@link stateOutput} of a JSONPath state, through its pipeline (`passthrough`: no ResultSelector nor ResultPath). */
export function pipelineOutput(
  pipeline: JsonPathPipeline,
  raw: JsonValue,
  result: JsonValue,
  es: EvaluationScope,
  kind: 'result' | 'passthrough' = 'result',
): StateResult {
  const assigned = pipeline.assign === undefined ? undefined : (pipeline.assign(result, es) as Record<string, JsonValue>);
  let merged = result;
  if (kind === 'result') {
    const selected = pipeline.resultSelector === undefined ? result : pipeline.resultSelector(result, es);
    merged = pipeline.resultPath(raw, selected, es.stateName);
  }
  const output = pipeline.outputPath === undefined ? merged : applyOutputPath(merged, pipeline.outputPath, es);
  return assigned ? { output, assigned } : { output };
}

export interface StateResult {
  output: JsonValue;
  /** Variables the state assigned, to apply after the state (and to record in StateExited). */
  assigned?: Record<string, JsonValue>;
}

/** The state output from its raw input and its result; `kind` says which fields apply. */
export function stateOutput(
  state: IoFields,
  name: string,
  raw: JsonValue,
  result: JsonValue,
  scope: Scope,
  context: ContextObject,
  kind: 'result' | 'passthrough' = 'result',
): StateResult | Promise<StateResult> {
  if (languageOf(state, scope) === 'JSONata') return jsonataOutput(state, raw, result, scope, context, kind);
  return pipelineOutput(jsonPathPipeline(state), raw, result, evaluationScope(scope, name, context), kind);
}

async function jsonataOutput(
  state: IoFields,
  raw: JsonValue,
  result: JsonValue,
  scope: Scope,
  context: ContextObject,
  kind: 'result' | 'passthrough',
): Promise<StateResult> {
  const bindings = jsonataBindings(scope, raw, context, kind === 'result' ? { result } : {});
  const output = state.Output === undefined ? result : await evaluateJsonata(state.Output, bindings, 'Output');
  const assigned =
    state.Assign === undefined ? undefined : ((await evaluateJsonata(state.Assign, bindings, 'Assign')) as Record<string, JsonValue>);
  return assigned ? { output, assigned } : { output };
}

/** The output and assignments of a matched Catcher. */
export async function catcherOutput(
  catcher: { ResultPath?: string | null; Output?: JsonValue; Assign?: Record<string, JsonValue> },
  stateLanguage: 'JSONPath' | 'JSONata',
  name: string,
  raw: JsonValue,
  errorOutput: JsonValue,
  scope: Scope,
  context: ContextObject,
): Promise<StateResult> {
  if (stateLanguage === 'JSONata') {
    const bindings = jsonataBindings(scope, raw, context, { errorOutput });
    const output = catcher.Output === undefined ? errorOutput : await evaluateJsonata(catcher.Output, bindings, 'Catch.Output');
    const assigned =
      catcher.Assign === undefined ? undefined : ((await evaluateJsonata(catcher.Assign, bindings, 'Catch.Assign')) as Record<string, JsonValue>);
    return assigned ? { output, assigned } : { output };
  }
  const es = evaluationScope(scope, name, context);
  const assigned = catcher.Assign === undefined ? undefined : assignJsonPath(catcher.Assign, errorOutput, es);
  const output = applyResultPath(raw, errorOutput, catcher.ResultPath === undefined ? '$' : catcher.ResultPath, name);
  return assigned ? { output, assigned } : { output };
}

function assignJsonPath(assign: Record<string, JsonValue>, dollar: JsonValue, es: ReturnType<typeof evaluationScope>): Record<string, JsonValue> {
  return evaluatePayloadTemplate(assign as JsonValue, dollar, es) as Record<string, JsonValue>;
}

/** Applies assignments and renders them for the StateExited event. */
export function commitAssignments(scope: Scope, assigned: Record<string, JsonValue> | undefined): Record<string, string> | undefined {
  if (!assigned) return undefined;
  scope.vars.assign(assigned);
  const rendered: Record<string, string> = {};
  for (const [k, v] of Object.entries(assigned)) rendered[k] = JSON.stringify(v ?? null);
  return rendered;
}
