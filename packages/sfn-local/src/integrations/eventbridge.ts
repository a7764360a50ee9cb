import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import {
  asPromise,
  bodyString,
  invalidParameters,
  isJsonObject,
  newRequestId,
  paramsObject,
  serviceErrorCause,
  type JsonObject,
} from './common.js';
import { busNameOf, type EventBridgeEvent, type Outboxes } from './outbox.js';
import { originOf } from './sqs.js';
import type { TaskInvocation, TaskResolver } from './types.js';

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

function entryError(errorCode: string, errorMessage: string): EntryResult {
  return { ErrorCode: errorCode, ErrorMessage: errorMessage };
}

function required(field: string): EntryResult {
  return entryError('InvalidArgument', `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
}

/** Validates one entry; returns the event to deliver or the entry's error. */
function toEvent(
  outboxes: Outboxes,
  invocation: TaskInvocation,
  entry: JsonValue,
): { event: Omit<EventBridgeEvent, 'EventId'> } | { error: EntryResult } {
  if (!isJsonObject(entry)) return { error: entryError('InvalidArgument', 'Entry must be an object.') };
  const source = entry['Source'];
  const detailType = entry['DetailType'];
  const detailValue = entry['Detail'];
  if (typeof source !== 'string' || source === '') return { error: required('Source') };
  if (typeof detailType !== 'string' || detailType === '') return { error: required('DetailType') };
  if (detailValue === undefined || detailValue === null) return { error: required('Detail') };
  const detail = bodyString(detailValue);
  let parsedDetail: unknown;
  try {
    parsedDetail = JSON.parse(detail);
  } catch {
    parsedDetail = undefined;
  }
  if (!isJsonObject(parsedDetail)) return { error: entryError('MalformedDetail', 'Detail is malformed.') };
  const resources = entry['Resources'] ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) {
    return { error: entryError('InvalidArgument', 'Parameter Resources is not valid. Reason: Resources must be a list of strings.') };
  }
  const busName = busNameOf(typeof entry['EventBusName'] === 'string' ? entry['EventBusName'] : 'default');
  if (!outboxes.autoCreate && !outboxes.hasBus(busName)) {
    return { error: entryError('NotFoundException', `Event bus ${busName} does not exist.`) };
  }
  const time = typeof entry['Time'] === 'string' ? entry['Time'] : new Date(invocation.now()).toISOString();
  const event: Omit<EventBridgeEvent, 'EventId'> = {
    EventBusName: busName,
    Source: source,
    DetailType: detailType,
    Detail: detail,
    // As the optimized integration does: the execution ARN and state machine ARN are appended.
    Resources: [...(resources as string[]), invocation.execution.executionArn, invocation.execution.stateMachineArn],
    Time: time,
  };
  if (typeof entry['TraceHeader'] === 'string') event.TraceHeader = entry['TraceHeader'];
  event.Origin = originOf(invocation);
  return { event };
}

async function putEvents(outboxes: Outboxes, invocation: TaskInvocation): Promise<JsonValue> {
  const params = paramsObject(invocation);
  const entries = params['Entries'];
  if (entries === undefined || entries === null) {
    throw invalidParameters(invocation, "The field 'Entries' is required but was missing");
  }
  if (!Array.isArray(entries)) throw invalidParameters(invocation, "The value for the field 'Entries' must be an ARRAY");
  const requestId = newRequestId();
  if (entries.length < 1 || entries.length > 10) {
    const constraint = entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10';
    throw new StatesError(
      'EventBridge.AmazonEventBridgeException',
      serviceErrorCause(
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${constraint}`,
        'AmazonEventBridge',
        400,
        'ValidationException',
        requestId,
      ),
    );
  }

  const results: EntryResult[] = [];
  let failed = 0;
  for (const entry of entries) {
    const checked = toEvent(outboxes, invocation, entry);
    if ('error' in checked) {
      results.push(checked.error);
      failed += 1;
      continue;
    }
    const fault = outboxes.bus(checked.event.EventBusName).takeFault();
    if (fault) {
      results.push(entryError(fault.errorCode, fault.errorMessage));
      failed += 1;
      continue;
    }
    const eventId = outboxes.newId();
    // Entries that succeed are delivered even when others fail, as PutEvents does.
    outboxes.deliverEvent(checked.event.EventBusName, { EventId: eventId, ...checked.event });
    results.push({ EventId: eventId });
  }
  const response: JsonObject = { Entries: results, FailedEntryCount: failed };
  if (failed > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(response));
  return response;
}

/**
 * `arn:aws:states:::events:putEvents[.waitForTaskToken]`: delivers each entry to its local bus
 * (default `default`) with the execution ARN and state machine ARN appended to `Resources`.
 * Any failed entry (invalid, unknown bus when auto-create is off, or injected with
 * `bus.injectFailure()`) fails the task with `EventBridge.FailedEntry`, Cause = the response JSON.
 */
export function createEventBridgeResolver(outboxes: Outboxes): TaskResolver {
  return (invocation) => {
    const p = invocation.parsed;
    if (
      p.kind === 'integration' &&
      p.service === 'events' &&
      p.action === 'putEvents' &&
      (p.pattern === 'requestResponse' || p.pattern === 'waitForTaskToken')
    ) {
      return asPromise(() => putEvents(outboxes, invocation));
    }
    return undefined;
  };
}
