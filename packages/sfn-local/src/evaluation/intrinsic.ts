import type { JsonValue } from '@saga/asl';
import { runtimeError, StatesError } from '../errors.js';
import { preview } from './json.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArg, type IntrinsicCall } from './intrinsic-parser.js';
import { INTRINSIC_FUNCTIONS } from './intrinsics/registry.js';
import { checkArguments, intrinsicFailure, type IntrinsicContext } from './intrinsics/spec.js';
import { evaluatePath, parsePathOrThrow, PathMiss } from './path-query.js';
import type { EvaluationScope } from './scope.js';

/**
 * Evaluates an intrinsic function call such as `States.Format('x {}', $.a)` against `input`.
 * - a malformed call, an unknown function, a wrong argument count or type, or a failure of the
 *   function itself -> States.IntrinsicFailure;
 * - a path argument that matches nothing -> States.Runtime (AWS: "The JsonPath argument for the
 *   field '$.x' could not be found in the input ...").
 */
export function evaluateIntrinsic(expression: string, input: JsonValue, scope: EvaluationScope): JsonValue {
  let call: IntrinsicCall;
  try {
    call = parseIntrinsic(expression);
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) throw new StatesError('States.IntrinsicFailure', `Invalid intrinsic function call: ${e.message}`);
    throw e;
  }
  return evaluateCall(call, input, scope);
}

/** Whether a payload-template value is an intrinsic call rather than a path. */
export function isIntrinsicCall(value: string): boolean {
  return value.startsWith('States.');
}

function evaluateCall(call: IntrinsicCall, input: JsonValue, scope: EvaluationScope): JsonValue {
  const def = INTRINSIC_FUNCTIONS[call.name];
  if (def === undefined || !Object.prototype.hasOwnProperty.call(INTRINSIC_FUNCTIONS, call.name)) {
    throw new StatesError('States.IntrinsicFailure', `The intrinsic function '${call.name}' does not exist`);
  }
  const values = call.args.map((arg) => evaluateArg(arg, input, scope));
  const checked = checkArguments(def, values, call.args);
  const ctx: IntrinsicContext = {
    scope,
    call,
    fail(message: string): never {
      throw intrinsicFailure(def.name, message);
    },
  };
  return def.evaluate(checked, ctx);
}

function evaluateArg(arg: IntrinsicArg, input: JsonValue, scope: EvaluationScope): JsonValue {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'call':
      return evaluateCall(arg.call, input, scope);
    case 'path': {
      const path = parsePathOrThrow(arg.path, scope.stateName);
      const v = evaluatePath(path, input, scope);
      if (v instanceof PathMiss) {
        const against = path.root === '$$' ? 'context object' : path.root === 'variable' ? 'variables' : 'input';
        const shown = path.root === '$' ? ` '${preview(input, 1024)}'` : '';
        throw runtimeError(scope.stateName, `The JsonPath argument for the field '${arg.path}' could not be found in the ${against}${shown} (${v.detail})`);
      }
      return v;
    }
  }
}
