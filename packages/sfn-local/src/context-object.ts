import type { JsonValue } from '@saga/asl';

/** The context object (`$$` in JSONPath, `$states.context` in JSONata). */
export interface ContextObject {
  Execution: {
    Id: string;
    Input: JsonValue;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
  };
  State: { EnteredTime: string; Name: string; RetryCount?: number };
  StateMachine: { Id: string; Name: string };
  Task?: { Token: string };
  Map?: { Item: { Index: number; Value: JsonValue; Key?: string; Source?: string } };
}

/** ISO-8601 with milliseconds, trailing zeros stripped as AWS does (`.120Z` -> `.12Z`, `.000Z` -> `Z`). */
export function isoTimestamp(ms: number): string {
  // Virtual time often stands still across states: remember the last one. The formatting is a
  // function of its own, called rarely, so the optimizing compiler leaves it out of every caller.
  return ms === lastMs ? lastText : formatTimestamp(ms);
}

function formatTimestamp(ms: number): string {
  // Executions started one after another fall in the same second: its `YYYY-MM-DDTHH:MM:SS` is
  // remembered too, as Date's own formatting costs more than the rest of building a context.
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastPrefix = new Date(second * 1000).toISOString().slice(0, -5); // all but `.000Z`
  }
  lastText = `${lastPrefix}${fraction(ms - second * 1000)}Z`;
  lastMs = ms;
  return lastText;
}
let lastMs = NaN;
let lastText = '';
let lastSecond = NaN;
let lastPrefix = '';

/** `.sss` of a millisecond count, its trailing zeros dropped; nothing for 0. */
function fraction(millis: number): string {
  if (millis === 0) return '';
  if (millis % 100 === 0) return `.${millis / 100}`;
  if (millis % 10 === 0) return millis < 100 ? `.0${millis / 10}` : `.${millis / 10}`;
  return millis < 10 ? `.00${millis}` : millis < 100 ? `.0${millis}` : `.${millis}`;
}
