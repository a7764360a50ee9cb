import type { IntrinsicFunctionCall, Path } from '../definition/paths.js';

/**
 * Typed builders for intrinsic function calls, usable as the value of a `.$` field.
 * An argument that starts with `$` is a path, one made by these builders is a nested call,
 * any other string is a string literal (quoted and escaped here), numbers and null as is.
 *
 * @example { 'message.$': States.Format('Order {} failed', '$.orderId') }
 */
export type IntrinsicArgument = Path | IntrinsicFunctionCall | string | number | boolean | null;

const call =
  (name: string) =>
  (...args: IntrinsicArgument[]): IntrinsicFunctionCall =>
    `States.${name}(${args.map((a) => renderArgument(a, false)).join(', ')})` as IntrinsicFunctionCall;

/**
 * A literal is quoted, with `'` and `\\` escaped. Braces are escaped too, except in the template of
 * States.Format, where `{}` is the placeholder (write `\\{` yourself for a literal brace there).
 */
function renderArgument(arg: IntrinsicArgument, template: boolean): string {
  if (arg === null || typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
  if (arg.startsWith('$') || /^States\.[A-Za-z0-9]+\(/.test(arg)) return arg;
  const special = template ? /[\\']/g : /[\\'{}]/g;
  return `'${arg.replace(special, (c) => `\\${c}`)}'`;
}

/** States.Format: the template keeps its `{}` placeholders. */
const format = (template: string, ...args: IntrinsicArgument[]): IntrinsicFunctionCall =>
  `States.Format(${[renderArgument(template, true), ...args.map((a) => renderArgument(a, false))].join(', ')})` as IntrinsicFunctionCall;

export const States = {
  Format: format,
  StringToJson: call('StringToJson'),
  JsonToString: call('JsonToString'),
  Array: call('Array'),
  ArrayPartition: call('ArrayPartition'),
  ArrayContains: call('ArrayContains'),
  ArrayRange: call('ArrayRange'),
  ArrayGetItem: call('ArrayGetItem'),
  ArrayLength: call('ArrayLength'),
  ArrayUnique: call('ArrayUnique'),
  Base64Encode: call('Base64Encode'),
  Base64Decode: call('Base64Decode'),
  Hash: call('Hash'),
  JsonMerge: call('JsonMerge'),
  MathRandom: call('MathRandom'),
  MathAdd: call('MathAdd'),
  StringSplit: call('StringSplit'),
  UUID: call('UUID'),
} as const;

/** Wraps a JSONata expression in its `{% %}` delimiters. */
export const jsonata = (expression: string): `{%${string}%}` => `{% ${expression.trim()} %}`;
