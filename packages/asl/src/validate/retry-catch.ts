import { StatesErrors } from '../definition/errors.js';
import type { StateCtx } from './context.js';
import {
  admitFields,
  checkFields,
  expectArray,
  expectEnum,
  expectInteger,
  expectNumber,
  expectObject,
  expectString,
  requireFields,
  table,
  typeMessage,
} from './fields.js';
import { checkJsonataAssign, checkJsonataValue } from './jsonata.js';
import { checkPayloadTemplate, checkReferencePathField } from './paths.js';
import { addTarget } from './transitions.js';

/**
 * Retry and Catch (Task, Parallel, Map only; the field tables reject them elsewhere with
 * "Field 'Retry' is not supported"): ErrorEquals, States.ALL placement, predefined `States.*`
 * names, retrier ranges, catcher targets and ResultPath/Output by query language.
 */

const PREDEFINED_ERRORS: ReadonlySet<string> = new Set(Object.values(StatesErrors));

/** AWS (verbatim, aws-cdk#10530). */
export const STATES_ALL_MESSAGE = 'States.ALL must appear alone and at end of list';

function checkErrorEquals(s: StateCtx, value: unknown, loc: string, last: boolean): void {
  if (!expectArray(s.v, value, loc)) return;
  if (value.length === 0) {
    s.v.schema('Value cannot be empty', loc);
    return;
  }
  let allMisplaced = false;
  value.forEach((name, i) => {
    if (!expectString(s.v, name, `${loc}[${i}]`)) return;
    if (name === StatesErrors.ALL) {
      if (value.length > 1 || !last) allMisplaced = true;
    } else if (name.startsWith('States.') && !PREDEFINED_ERRORS.has(name)) {
      s.v.schema(`'${name}' is not a predefined error name; custom error names must not start with 'States.'`, `${loc}[${i}]`);
    }
  });
  if (allMisplaced) s.v.schema(STATES_ALL_MESSAGE, loc);
}

interface ItemCtx {
  s: StateCtx;
  last: boolean;
}

const RETRIER = table<ItemCtx>({
  ErrorEquals: { check: (x, loc, c) => checkErrorEquals(c.s, x, loc, c.last) },
  IntervalSeconds: { check: (x, loc, c) => expectInteger(c.s.v, x, loc, 1, 99_999_999) },
  MaxAttempts: { check: (x, loc, c) => expectInteger(c.s.v, x, loc, 0, 99_999_999) },
  BackoffRate: { check: (x, loc, c) => expectNumber(c.s.v, x, loc, 1) },
  MaxDelaySeconds: { check: (x, loc, c) => expectInteger(c.s.v, x, loc, 1, 31_622_400) },
  JitterStrategy: { check: (x, loc, c) => expectEnum(c.s.v, x, loc, 'JitterStrategy', ['FULL', 'NONE']) },
  Comment: { check: (x, loc, c) => expectString(c.s.v, x, loc) },
});

const CATCHER = table<ItemCtx>({
  ErrorEquals: { check: (x, loc, c) => checkErrorEquals(c.s, x, loc, c.last) },
  Next: { check: (x, loc, c) => addTarget(c.s, x, loc) },
  ResultPath: {
    lang: 'JSONPath',
    check: (x, loc, c) => checkReferencePathField(c.s.v, x, loc, 'ResultPath', { nullable: true, resultPath: true }),
  },
  Output: { lang: 'JSONata', check: (x, loc, c) => checkJsonataValue(c.s.v, x, loc, { errorOutput: true }) },
  Assign: {
    check: (x, loc, c) => {
      if (!expectObject(c.s.v, x, loc)) return;
      if (c.s.ql === 'JSONata') checkJsonataAssign(c.s.v, x, loc, { errorOutput: true });
      else checkPayloadTemplate(c.s.v, x, loc, { assign: true });
    },
  },
  Comment: { check: (x, loc, c) => expectString(c.s.v, x, loc) },
});

export function checkRetry(s: StateCtx, value: unknown, loc: string): void {
  if (!expectArray(s.v, value, loc)) return;
  value.forEach((retrier, i) => {
    const at = `${loc}[${i}]`;
    if (!expectObject(s.v, retrier, at)) return;
    const keys = admitFields(s.v, retrier, at, RETRIER, s.ql);
    requireFields(s.v, retrier, at, ['ErrorEquals']);
    checkFields(retrier, at, RETRIER, keys, { s, last: i === value.length - 1 });
  });
}

export function checkCatch(s: StateCtx, value: unknown, loc: string): void {
  if (!expectArray(s.v, value, loc)) {
    s.node.dangling = true;
    return;
  }
  value.forEach((catcher, i) => {
    const at = `${loc}[${i}]`;
    if (typeof catcher !== 'object' || catcher === null || Array.isArray(catcher)) {
      s.v.schema(typeMessage('Object'), at);
      s.node.dangling = true;
      return;
    }
    const c = catcher as Record<string, unknown>;
    const keys = admitFields(s.v, c, at, CATCHER, s.ql);
    if (!requireFields(s.v, c, at, ['ErrorEquals', 'Next'])) s.node.dangling = true;
    checkFields(c, at, CATCHER, keys, { s, last: i === value.length - 1 });
  });
}
