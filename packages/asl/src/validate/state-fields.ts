import type { StateCtx } from './context.js';
import { expectInteger, expectNumber, expectObject, isObject, typeMessage } from './fields.js';
import { checkJsonataString, checkJsonataValue } from './jsonata.js';
import { checkPayloadTemplate } from './paths.js';

/** Field checks shared by several state types. */

/** An integer field that JSONata states may also give as `{% %}`. */
export function scalarInteger(s: StateCtx, x: unknown, loc: string, min: number, max?: number): void {
  if (s.ql === 'JSONata' && typeof x === 'string' && x.trimStart().startsWith('{%')) checkJsonataString(s.v, x, loc, {});
  else expectInteger(s.v, x, loc, min, max);
}

/** A number field that JSONata states may also give as `{% %}`. */
export function scalarNumber(s: StateCtx, x: unknown, loc: string, min: number, max?: number): void {
  if (s.ql === 'JSONata' && typeof x === 'string' && x.trimStart().startsWith('{%')) checkJsonataString(s.v, x, loc, {});
  else expectNumber(s.v, x, loc, min, max);
}

/** A payload-template field (JSONPath). */
export function template(s: StateCtx, x: unknown, loc: string): void {
  if (expectObject(s.v, x, loc)) checkPayloadTemplate(s.v, x, loc);
}

/** JSONata `Arguments`: an object (walked) or a `{% %}` expression. */
export function jsonataArguments(s: StateCtx, x: unknown, loc: string): void {
  if (isObject(x) || (typeof x === 'string' && x.trimStart().startsWith('{%'))) checkJsonataValue(s.v, x, loc, {});
  else s.v.schema(typeMessage('Object'), loc);
}
