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
  lastText = new Date(ms).toISOString().replace(/\.(\d*?)0+Z$/, (_, d: string) => (d ? `.${d}Z` : 'Z'));
  lastMs = ms;
  return lastText;
}
let lastMs = NaN;
let lastText = '';
