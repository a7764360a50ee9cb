import type { QueryLanguage } from '../definition/states.js';
import { objectLocation, type Validator } from './context.js';
import { languageMessage } from './query-language.js';

/**
 * Field-level building blocks: JSON type tests with AWS-style messages, ranges, enums,
 * required / mutually exclusive fields, and a table-driven object checker.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own keys whose value is not `undefined` (JSON.stringify drops those). */
export function keysOf(obj: JsonObject): string[] {
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    if (obj[keys[i]!] === undefined) return keys.filter((k) => obj[k] !== undefined);
  }
  return keys;
}

export function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}

/** A string that is a `{% ... %}` JSONata expression. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/**
 * A whole-string Terraform/CDKTF/CloudFormation interpolation token (`${aws_lambda_function.x.arn}`),
 * substituted before the definition reaches AWS. Accepted wherever a scalar is expected.
 */
export function isInterpolationToken(value: unknown): boolean {
  if (typeof value !== 'string' || !value.startsWith('${') || !value.endsWith('}')) return false;
  return tokenEnd(value, 0) === value.length;
}

/** Index just past the `}` closing the `${` at `start`, or -1. Braces nest (`${jsonencode({a=1})}`). */
function tokenEnd(s: string, start: number): number {
  let depth = 0;
  for (let i = start + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 123 /* { */) depth++;
    else if (c === 125 /* } */ && --depth === 0) return i + 1;
  }
  return -1;
}

/** Replaces every `${...}` token with `replacement`; returns undefined when there is none. */
export function replaceInterpolations(s: string, replacement: string): string | undefined {
  let start = s.indexOf('${');
  if (start < 0) return undefined;
  let out = '';
  let from = 0;
  while (start >= 0) {
    const end = tokenEnd(s, start);
    if (end < 0) break;
    out += s.slice(from, start) + replacement;
    from = end;
    start = s.indexOf('${', end);
  }
  return out + s.slice(from);
}

export type JsonTypeName = 'String' | 'Integer' | 'Number' | 'Boolean' | 'Object' | 'Array';

export function typeMessage(type: JsonTypeName): string {
  return `Expected value of type ${type}`;
}

export function expectString(v: Validator, value: unknown, loc: string): value is string {
  if (typeof value === 'string') return true;
  v.schema(typeMessage('String'), loc);
  return false;
}

export function expectBoolean(v: Validator, value: unknown, loc: string): value is boolean {
  if (typeof value === 'boolean' || isInterpolationToken(value)) return typeof value === 'boolean';
  v.schema(typeMessage('Boolean'), loc);
  return false;
}

export function expectObject(v: Validator, value: unknown, loc: string): value is JsonObject {
  if (isObject(value)) return true;
  v.schema(typeMessage('Object'), loc);
  return false;
}

export function expectArray(v: Validator, value: unknown, loc: string): value is unknown[] {
  if (Array.isArray(value)) return true;
  v.schema(typeMessage('Array'), loc);
  return false;
}

/** A non-empty array (`Value cannot be empty`, AWS's wording for empty Branches). */
export function expectNonEmptyArray(v: Validator, value: unknown, loc: string): value is unknown[] {
  if (!expectArray(v, value, loc)) return false;
  if (value.length === 0) {
    v.schema('Value cannot be empty', loc);
    return false;
  }
  return true;
}

function rangeMessage(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `Value must be between ${min} and ${max}`;
  if (min !== undefined) return `Value must be greater than or equal to ${min}`;
  return `Value must be less than or equal to ${max}`;
}

/** An integer in [min, max]; interpolation tokens pass. */
export function expectInteger(v: Validator, value: unknown, loc: string, min?: number, max?: number): boolean {
  if (isInterpolationToken(value)) return true;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    v.schema(typeMessage('Integer'), loc);
    return false;
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    v.schema(rangeMessage(min, max), loc);
    return false;
  }
  return true;
}

/** A finite number in [min, max]; interpolation tokens pass. */
export function expectNumber(v: Validator, value: unknown, loc: string, min?: number, max?: number): boolean {
  if (isInterpolationToken(value)) return true;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    v.schema(typeMessage('Number'), loc);
    return false;
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    v.schema(rangeMessage(min, max), loc);
    return false;
  }
  return true;
}

/** AWS: "The field 'Type' should have one of these values: [Task, Wait, ...]". */
export function expectEnum(
  v: Validator,
  value: unknown,
  loc: string,
  field: string,
  values: readonly string[],
): boolean {
  if (typeof value === 'string' && values.includes(value)) return true;
  if (isInterpolationToken(value)) return true;
  v.schema(`The field '${field}' should have one of these values: [${values.join(', ')}]`, loc);
  return false;
}

/**
 * Reports missing required fields at the object: one as "The field 'X' is required but was missing",
 * several as "These fields are required: [A, B]" (both AWS wordings).
 */
export function requireFields(v: Validator, obj: JsonObject, loc: string, fields: readonly string[]): boolean {
  const missing = fields.filter((f) => !has(obj, f));
  if (missing.length === 0) return true;
  v.schema(
    missing.length === 1
      ? `The field '${missing[0]}' is required but was missing`
      : `These fields are required: [${missing.join(', ')}]`,
    objectLocation(loc),
  );
  return false;
}

/** `X` and `XPath` (and similar pairs) may not both be present. */
export function exclusive(v: Validator, obj: JsonObject, loc: string, a: string, b: string): void {
  if (has(obj, a) && has(obj, b)) v.schema(`Fields '${a}' and '${b}' are mutually exclusive`, objectLocation(loc));
}

// ---------------------------------------------------------------- table-driven objects

/** How one field of an object is checked; `lang` restricts it to one query language. */
export interface FieldSpec<C> {
  lang?: QueryLanguage;
  check?: (value: unknown, loc: string, ctx: C) => void;
}

export type FieldTable<C> = ReadonlyMap<string, FieldSpec<C>>;

export function table<C>(entries: Record<string, FieldSpec<C>>): FieldTable<C> {
  return new Map(Object.entries(entries));
}

/**
 * Object-level pass: reports unknown fields ("Field 'X' is not supported") and fields of the other
 * query language, at the object's location. Returns the keys whose checks should run.
 */
export function admitFields<C>(
  v: Validator,
  obj: JsonObject,
  loc: string,
  fields: FieldTable<C>,
  ql: QueryLanguage,
): string[] {
  const admitted: string[] = [];
  for (const key of keysOf(obj)) {
    const spec = fields.get(key);
    if (spec === undefined) v.schema(`Field '${key}' is not supported`, objectLocation(loc));
    else if (spec.lang !== undefined && spec.lang !== ql) v.schema(languageMessage(ql, key), objectLocation(loc));
    else admitted.push(key);
  }
  return admitted;
}

/** Field pass: runs each admitted field's check at `loc/key`, in document order. */
export function checkFields<C>(obj: JsonObject, loc: string, fields: FieldTable<C>, keys: readonly string[], ctx: C): void {
  for (const key of keys) fields.get(key)?.check?.(obj[key], `${loc}/${key}`, ctx);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/** RFC 3339 date-time with uppercase `T` and `Z` (or a numeric offset), as Step Functions requires. */
export function isRfc3339(s: string): boolean {
  const m = RFC3339.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return false;
  if (hour > 23 || minute > 59 || second > 60) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return true;
}
