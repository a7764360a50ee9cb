import type { JsonValue } from '@saga/asl';
import type { IntrinsicDefinition } from './spec.js';

/** States.StringToJson(text): the JSON value `text` holds. */
export const stringToJson: IntrinsicDefinition = {
  name: 'States.StringToJson',
  args: [{ name: 'jsonString', types: ['string'] }],
  evaluate([text], ctx) {
    try {
      return JSON.parse(text as string) as JsonValue;
    } catch (e) {
      return ctx.fail(`the argument is not valid JSON (${(e as Error).message})`);
    }
  },
};
