import type { JsonValue } from '../../definition/json.js';
import type { PayloadValue } from '../../definition/states.js';
import type { Field, JsonataInvocation, JsonPathInvocation } from './invocation.js';
import { jsonataInvocation, jsonPathInvocation } from './invocation.js';

/** One entry of `events:putEvents`. Step Functions appends the execution ARN to `Resources`. */
export type PutEventsEntry = Field<'Detail', PayloadValue> &
  Field<'DetailType', string> &
  Field<'Source', string> & {
    EventBusName?: string;
    Resources?: string[];
  };

export interface PutEventsResult {
  Entries: { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
  FailedEntryCount: number;
}

/** Puts events on an EventBridge bus. `FailedEntryCount > 0` fails the task with `EventBridge.FailedEntry`. */
export function eventBridgePutEvents(entries: readonly [PutEventsEntry, ...PutEventsEntry[]]): JsonPathInvocation {
  return jsonPathInvocation('events', 'putEvents', { Entries: entries });
}

eventBridgePutEvents.jsonata = (entries: { Detail: JsonValue; DetailType: string; Source: string; EventBusName?: string }[]): JsonataInvocation =>
  jsonataInvocation('events', 'putEvents', { Entries: entries });
