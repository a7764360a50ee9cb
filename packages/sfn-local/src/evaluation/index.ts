/**
 * The data-evaluation layer of the interpreter: JSONPath paths and the input/output pipeline,
 * payload templates, intrinsic functions, Choice rules, and JSONata. Pure functions: they never
 * mutate their arguments, and results may share structure with them.
 */
export type { EvaluationScope } from './scope.js';
export { queryPath } from './path-query.js';
export { applyInputPath, applyOutputPath, applyResultPath, resultPathFunction } from './input-output.js';
export { evaluatePayloadTemplate, payloadFunction } from './payload-template.js';
export { evaluateIntrinsic, isIntrinsicCall } from './intrinsic.js';
export { evaluateChoiceRule } from './choice-rule.js';
export { evaluateJsonata, isJsonataExpression, JSONATA_LIMITS, type JsonataBindings } from './jsonata.js';
export { parseTimestamp, compareInstants, isTimestamp, type Instant } from './timestamp.js';
export { deepClone, jsonEquals, isJsonObject, jsonRoundTrip } from './json.js';
