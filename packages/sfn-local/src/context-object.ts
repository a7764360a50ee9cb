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

/** ISO-8601 with milliseconds, trailing zeros stripped as AWS does (`.120Z` → `.12Z`, `.000Z` → `Z`). */
export function isoTimestamp(ms: number): string {
  // Virtual time often stands still across states: remember the last one.
  if (ms === lastMs) return lastText;
  const iso = new Date(ms).toISOString(); // always ….sssZ
  // Trailing zeros of the milliseconds dropped by hand: a regex replace with a callback cost more
  // than the rest of building an execution's context.
  const n = iso.length;
  lastText =
    iso.charCodeAt(n - 2) !== ZERO
      ? iso
      : iso.charCodeAt(n - 3) !== ZERO
        ? `${iso.slice(0, n - 2)}Z`
        : iso.charCodeAt(n - 4) !== ZERO
          ? `${iso.slice(0, n - 3)}Z`
          : `${iso.slice(0, n - 5)}Z`;
  lastMs = ms;
  return lastText;
}
let lastMs = NaN;
const ZERO = 0x30;
let lastText = '';
