import type { IntrinsicDefinition } from './spec.js';

/**
 * States.Format(template, ...values): each `{}` in the template is replaced by the next value.
 * Values must be strings (inserted without quotes), numbers, booleans or null. In the template,
 * `\{` and `\}` are literal braces and `\\` a backslash; a lone brace is kept as written.
 */
export const format: IntrinsicDefinition = {
  name: 'States.Format',
  args: [{ name: 'template', types: ['string'] }],
  rest: { name: 'value', types: ['string', 'number', 'boolean', 'null'] },
  evaluate(args, ctx) {
    // A literal template is read from its source text, so an escaped `\{` is told from a `{`.
    const written = ctx.call.args[0];
    const template = written?.kind === 'literal' && written.raw !== undefined ? written.raw : (args[0] as string);
    const pieces = splitTemplate(template);
    const values = args.length - 1;
    const placeholders = pieces.length - 1;
    if (placeholders !== values) {
      ctx.fail(
        `the template has ${placeholders} placeholder${placeholders === 1 ? '' : 's'} '{}' but ${values} value${values === 1 ? ' was' : 's were'} given`,
      );
    }
    let out = pieces[0]!;
    for (let i = 1; i < pieces.length; i++) {
      const v = args[i];
      out += (typeof v === 'string' ? v : String(v)) + pieces[i]!;
    }
    return out;
  },
};

/** The literal text between `{}` placeholders, escapes resolved. */
export function splitTemplate(template: string): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '\\' && i + 1 < template.length) {
      cur += template[i + 1];
      i++;
    } else if (c === '{' && template[i + 1] === '}') {
      pieces.push(cur);
      cur = '';
      i++;
    } else {
      cur += c;
    }
  }
  pieces.push(cur);
  return pieces;
}
