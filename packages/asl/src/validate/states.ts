import type { StateType } from '../definition/states.js';
import { MAX_SCOPE_DEPTH, MAX_VALUE_DEPTH, type StateCtx } from './context.js';
import { checkChoices, checkDefault } from './choice.js';
import {
  exclusive,
  expectBoolean,
  expectEnum,
  expectNonEmptyArray,
  expectObject,
  expectString,
  has,
  isInterpolationToken,
  isRfc3339,
  requireFields,
  table,
  type FieldSpec,
  type FieldTable,
} from './fields.js';
import { checkJsonataAssign, checkJsonataString, checkJsonataValue, valueMentions } from './jsonata.js';
import { MAP_FIELDS, checkMapState } from './map.js';
import { jsonataArguments, scalarInteger, template } from './state-fields.js';
import {
  checkFailPathField,
  checkPathField,
  checkPayloadTemplate,
  checkReferencePathField,
  containsDynamicLookingValue,
  templateMentions,
} from './paths.js';
import { QUERY_LANGUAGES } from './query-language.js';
import { expressIncompatibility, parseResource, unrecognisedResourceMessage } from './resource.js';
import { checkCatch, checkRetry } from './retry-catch.js';
import { branchFields, checkScope } from './structure.js';
import { addTarget, checkNextOrEnd } from './transitions.js';

/**
 * Per-state-type field tables (which fields exist, in which query language, and how each is
 * checked) plus the cross-field rules of each type. A field missing from a type's table is
 * reported as "Field 'X' is not supported" at the state, as AWS does.
 */

type Spec = FieldSpec<StateCtx>;

export const STATE_TYPES: readonly StateType[] = ['Task', 'Wait', 'Pass', 'Succeed', 'Fail', 'Choice', 'Parallel', 'Map'];

/** Task, Parallel and Map produce a result, so `$states.result` is available in their Output/Assign. */
function producesResult(type: StateType): boolean {
  return type === 'Task' || type === 'Parallel' || type === 'Map';
}

// ---------------------------------------------------------------- shared field checks

const COMMON: Record<string, Spec> = {
  Type: {},
  Comment: { check: (x, loc, s) => expectString(s.v, x, loc) },
  QueryLanguage: { check: (x, loc, s) => expectEnum(s.v, x, loc, 'QueryLanguage', QUERY_LANGUAGES) },
};

const INPUT_OUTPUT: Record<string, Spec> = {
  InputPath: { lang: 'JSONPath', check: (x, loc, s) => checkPathField(s.v, x, loc, 'InputPath', true) },
  OutputPath: { lang: 'JSONPath', check: (x, loc, s) => checkPathField(s.v, x, loc, 'OutputPath', true) },
  Output: { lang: 'JSONata', check: (x, loc, s) => checkJsonataValue(s.v, x, loc, { result: producesResult(s.type) }) },
};

const ASSIGN: Record<string, Spec> = {
  Assign: {
    check: (x, loc, s) => {
      if (!expectObject(s.v, x, loc)) return;
      if (s.ql === 'JSONata') checkJsonataAssign(s.v, x, loc, { result: producesResult(s.type) });
      else checkPayloadTemplate(s.v, x, loc, { assign: true });
    },
  },
};

const TRANSITION: Record<string, Spec> = {
  Next: { check: (x, loc, s) => addTarget(s, x, loc) },
  End: { check: (x, loc, s) => expectBoolean(s.v, x, loc) },
};

const RESULT: Record<string, Spec> = {
  Parameters: { lang: 'JSONPath', check: (x, loc, s) => template(s, x, loc) },
  ResultSelector: { lang: 'JSONPath', check: (x, loc, s) => template(s, x, loc) },
  ResultPath: {
    lang: 'JSONPath',
    check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'ResultPath', { nullable: true, resultPath: true }),
  },
};

const ERRORS: Record<string, Spec> = {
  Retry: { check: (x, loc, s) => checkRetry(s, x, loc) },
  Catch: { check: (x, loc, s) => checkCatch(s, x, loc) },
};

// ---------------------------------------------------------------- Task

const MAX_SECONDS = 99_999_999;

function checkResource(s: StateCtx, x: unknown, loc: string): void {
  if (!expectString(s.v, x, loc)) return;
  const info = parseResource(x);
  if (info === undefined) {
    s.v.error('INVALID_RESOURCE', unrecognisedResourceMessage(x), loc);
    return;
  }
  if (s.scope.express) {
    const message = expressIncompatibility(info);
    if (message !== undefined) s.v.schema(message, loc);
  }
  if (info.pattern === '.waitForTaskToken') {
    const passesToken =
      s.ql === 'JSONata'
        ? valueMentions(s.obj.Arguments, '$states.context.Task.Token')
        : templateMentions(s.obj.Parameters, '$$.Task.Token');
    if (!passesToken) {
      const field = s.ql === 'JSONata' ? 'Arguments' : 'Parameters';
      const token = s.ql === 'JSONata' ? '$states.context.Task.Token' : '$$.Task.Token';
      s.v.warn(
        'CALLBACK_WITHOUT_TOKEN',
        `The resource ${x} waits for a task token, but ${field} never passes ${token}; the task can only end by timing out`,
        s.loc,
      );
    }
  }
}

function checkCredentials(s: StateCtx, x: unknown, loc: string): void {
  if (!expectObject(s.v, x, loc)) return;
  if (!has(x, 'RoleArn') && !has(x, 'RoleArn.$')) s.v.schema("The field 'RoleArn' is required but was missing", loc);
  for (const key of Object.keys(x)) {
    if (key !== 'RoleArn' && key !== 'RoleArn.$') s.v.schema(`Field '${key}' is not supported`, loc);
  }
  if (s.ql === 'JSONata') {
    if (has(x, 'RoleArn.$')) s.v.schema("Field 'RoleArn.$' is not supported", loc);
    if (has(x, 'RoleArn') && expectString(s.v, x.RoleArn, `${loc}/RoleArn`)) checkJsonataString(s.v, x.RoleArn, `${loc}/RoleArn`, {});
  } else {
    if (has(x, 'RoleArn')) expectString(s.v, x.RoleArn, `${loc}/RoleArn`);
    if (has(x, 'RoleArn.$')) checkPayloadTemplate(s.v, { 'RoleArn.$': x['RoleArn.$'] }, loc);
  }
}

const TASK = table<StateCtx>({
  ...COMMON,
  ...INPUT_OUTPUT,
  ...ASSIGN,
  ...TRANSITION,
  ...RESULT,
  ...ERRORS,
  Resource: { check: (x, loc, s) => checkResource(s, x, loc) },
  Arguments: { lang: 'JSONata', check: (x, loc, s) => jsonataArguments(s, x, loc) },
  TimeoutSeconds: { check: (x, loc, s) => scalarInteger(s, x, loc, 1, MAX_SECONDS) },
  TimeoutSecondsPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'TimeoutSecondsPath') },
  HeartbeatSeconds: { check: (x, loc, s) => scalarInteger(s, x, loc, 1, MAX_SECONDS) },
  HeartbeatSecondsPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'HeartbeatSecondsPath') },
  Credentials: { check: (x, loc, s) => checkCredentials(s, x, loc) },
});

function checkTaskState(s: StateCtx): void {
  const o = s.obj;
  requireFields(s.v, o, s.loc, ['Resource']);
  exclusive(s.v, o, s.loc, 'TimeoutSeconds', 'TimeoutSecondsPath');
  exclusive(s.v, o, s.loc, 'HeartbeatSeconds', 'HeartbeatSecondsPath');
  checkNextOrEnd(s, o);
}

function checkTaskAfterFields(s: StateCtx): void {
  const { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat } = s.obj;
  const valid = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= MAX_SECONDS;
  if (valid(timeout) && valid(heartbeat) && heartbeat >= timeout) {
    s.v.schema('HeartbeatSeconds must be smaller than TimeoutSeconds', `${s.loc}/HeartbeatSeconds`);
  }
}

// ---------------------------------------------------------------- Pass

const PASS = table<StateCtx>({
  ...COMMON,
  ...INPUT_OUTPUT,
  ...ASSIGN,
  ...TRANSITION,
  Parameters: RESULT.Parameters!,
  ResultPath: RESULT.ResultPath!,
  Result: {
    lang: 'JSONPath',
    check: (x, loc, s) => {
      // A static value is not walked by the template checks: bound its depth here, as for templates
      // (JSON text of any depth parses, but the engine copies values recursively).
      if (nestingExceeds(x, MAX_VALUE_DEPTH)) {
        return void s.v.error('TOO_DEEPLY_NESTED', `JSON value nesting exceeds ${MAX_VALUE_DEPTH} levels`, loc);
      }
      if (containsDynamicLookingValue(x)) {
        s.v.warn(
          'PASS_RESULT_IS_STATIC',
          "The Result of a Pass state is static: '.$' keys, paths and intrinsic calls in it are not evaluated (use Parameters)",
          loc,
        );
      }
    },
  },
});

/** Whether arrays/objects in `value` nest deeper than `max` levels (iterative: any depth is safe). */
function nestingExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

// ---------------------------------------------------------------- Wait

const WAIT_FIELDS = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'] as const;

const WAIT = table<StateCtx>({
  ...COMMON,
  ...INPUT_OUTPUT,
  ...ASSIGN,
  ...TRANSITION,
  Seconds: { check: (x, loc, s) => scalarInteger(s, x, loc, 0, MAX_SECONDS) },
  Timestamp: {
    check: (x, loc, s) => {
      if (!expectString(s.v, x, loc) || isInterpolationToken(x)) return;
      if (s.ql === 'JSONata' && x.trimStart().startsWith('{%')) checkJsonataString(s.v, x, loc, {});
      else if (!isRfc3339(x)) s.v.schema('String does not match RFC3339 timestamp', loc);
    },
  },
  SecondsPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'SecondsPath') },
  TimestampPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'TimestampPath') },
});

function checkWaitState(s: StateCtx): void {
  const present = WAIT_FIELDS.filter((f) => has(s.obj, f));
  if (present.length !== 1) {
    s.v.schema("Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' or 'TimestampPath' is required", s.loc);
  }
  checkNextOrEnd(s, s.obj);
}

// ---------------------------------------------------------------- Choice, Succeed, Fail

const CHOICE = table<StateCtx>({
  ...COMMON,
  ...INPUT_OUTPUT,
  ...ASSIGN,
  Choices: { check: (x, loc, s) => checkChoices(s, x, loc) },
  Default: { check: (x, loc, s) => checkDefault(s, x, loc) },
});

const SUCCEED = table<StateCtx>({ ...COMMON, ...INPUT_OUTPUT });

function failString(s: StateCtx, x: unknown, loc: string): void {
  if (!expectString(s.v, x, loc)) return;
  if (s.ql === 'JSONata') checkJsonataString(s.v, x, loc, {});
}

const FAIL = table<StateCtx>({
  ...COMMON,
  Error: { check: (x, loc, s) => failString(s, x, loc) },
  ErrorPath: { lang: 'JSONPath', check: (x, loc, s) => checkFailPathField(s.v, x, loc, 'ErrorPath') },
  Cause: { check: (x, loc, s) => failString(s, x, loc) },
  CausePath: { lang: 'JSONPath', check: (x, loc, s) => checkFailPathField(s.v, x, loc, 'CausePath') },
});

// ---------------------------------------------------------------- Parallel

function checkBranches(s: StateCtx, x: unknown, loc: string): void {
  if (!expectNonEmptyArray(s.v, x, loc)) return;
  if (s.scope.depth + 1 > MAX_SCOPE_DEPTH) {
    s.v.error('TOO_DEEPLY_NESTED', `Parallel and Map states are nested more than ${MAX_SCOPE_DEPTH} levels deep`, s.loc);
    return;
  }
  x.forEach((branch, i) => {
    checkScope(s.v, branch, `${loc}[${i}]`, { depth: s.scope.depth + 1, express: s.scope.express, fields: branchFields });
  });
}

const PARALLEL = table<StateCtx>({
  ...COMMON,
  ...INPUT_OUTPUT,
  ...ASSIGN,
  ...TRANSITION,
  ...RESULT,
  ...ERRORS,
  Branches: { check: (x, loc, s) => checkBranches(s, x, loc) },
  Arguments: { lang: 'JSONata', check: (x, loc, s) => jsonataArguments(s, x, loc) },
});

// ---------------------------------------------------------------- registry

export interface StateRules {
  fields: FieldTable<StateCtx>;
  /** Object-level rules, run before the field checks (required fields, exclusivity, Next/End). */
  before?: (s: StateCtx) => void;
  /** Cross-field rules that need checked fields. */
  after?: (s: StateCtx) => void;
}

export const STATE_RULES: Readonly<Record<StateType, StateRules>> = {
  Task: { fields: TASK, before: checkTaskState, after: checkTaskAfterFields },
  Pass: { fields: PASS, before: (s) => checkNextOrEnd(s, s.obj) },
  Wait: { fields: WAIT, before: checkWaitState },
  Choice: {
    fields: CHOICE,
    before: (s) => {
      if (!requireFields(s.v, s.obj, s.loc, ['Choices'])) s.node.dangling = true;
    },
  },
  Succeed: {
    fields: SUCCEED,
    before: (s) => {
      s.node.terminal = true;
    },
  },
  Fail: {
    fields: FAIL,
    before: (s) => {
      s.node.terminal = true;
      exclusive(s.v, s.obj, s.loc, 'Error', 'ErrorPath');
      exclusive(s.v, s.obj, s.loc, 'Cause', 'CausePath');
    },
  },
  Parallel: {
    fields: PARALLEL,
    before: (s) => {
      requireFields(s.v, s.obj, s.loc, ['Branches']);
      checkNextOrEnd(s, s.obj);
    },
  },
  Map: {
    fields: table<StateCtx>({ ...COMMON, ...INPUT_OUTPUT, ...ASSIGN, ...TRANSITION, ...RESULT, ...ERRORS, ...MAP_FIELDS }),
    before: checkMapState,
  },
};
