import { busNameOf, type EventBridgeEvent, type Outboxes } from '../../integrations/outbox.js';

/**
 * The EventBridge API's PutEvents over the engine's local buses, as @aws-sdk/client-eventbridge
 * speaks it (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`): a Lambda that publishes with the
 * SDK (emit-receipt) and a state that uses `events:putEvents` land on the same local bus.
 */

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';

export function isEventsTarget(target: string | undefined): boolean {
  return target?.startsWith(EVENTS_TARGET_PREFIX) ?? false;
}

/** An EventBridge error: `{"__type": "<name>", "message"}`. */
export class EventsApiError extends Error {
  override readonly name: string;

  constructor(
    name: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = name;
  }
}

export function eventsErrorResponse(error: EventsApiError): { status: number; body: Record<string, string>; headers: Record<string, string> } {
  return { status: error.httpStatus, body: { __type: error.name, message: error.message }, headers: { 'x-amzn-errortype': error.name } };
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** Runs `AWSEvents.<Operation>`: PutEvents only. */
export function dispatchEvents(outboxes: Outboxes, target: string | undefined, body: Buffer): unknown {
  const name = target?.slice(EVENTS_TARGET_PREFIX.length) ?? '';
  if (name !== 'PutEvents') throw new EventsApiError('UnknownOperationException', `Operation ${name || '(none)'} is not supported by this local endpoint`);
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    throw new EventsApiError('SerializationException', 'The request body is not valid JSON');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new EventsApiError('SerializationException', 'The request body must be a JSON object');
  }
  const entries = (input as { Entries?: unknown }).Entries;
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
    throw new EventsApiError(
      'ValidationException',
      "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
    );
  }
  const results: EntryResult[] = [];
  let failed = 0;
  for (const entry of entries) {
    const checked = toEvent(outboxes, entry);
    const fault = 'event' in checked ? outboxes.bus(checked.event.EventBusName).takeFault() : undefined;
    if ('error' in checked || fault) {
      results.push('error' in checked ? checked.error : { ErrorCode: fault!.errorCode, ErrorMessage: fault!.errorMessage });
      failed += 1;
      continue;
    }
    const eventId = outboxes.newId();
    // Entries that pass are delivered even when others fail, as PutEvents does.
    outboxes.deliverEvent(checked.event.EventBusName, { EventId: eventId, ...checked.event });
    results.push({ EventId: eventId });
  }
  return { FailedEntryCount: failed, Entries: results };
}

function toEvent(outboxes: Outboxes, entry: unknown): { event: Omit<EventBridgeEvent, 'EventId'> } | { error: EntryResult } {
  const invalid = (field: string, reason: string): { error: EntryResult } => ({
    error: { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${reason}` },
  });
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return invalid('Entry', 'Entry must be an object.');
  const e = entry as Record<string, unknown>;
  if (typeof e['Source'] !== 'string' || e['Source'] === '') return invalid('Source', 'Source is a required argument.');
  if (typeof e['DetailType'] !== 'string' || e['DetailType'] === '') return invalid('DetailType', 'DetailType is a required argument.');
  if (typeof e['Detail'] !== 'string') return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(e['Detail']);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { error: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } };
  }
  const resources = e['Resources'] ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) return invalid('Resources', 'Resources must be a list of strings.');
  const busName = busNameOf(typeof e['EventBusName'] === 'string' && e['EventBusName'] !== '' ? e['EventBusName'] : 'default');
  if (!outboxes.autoCreate && !outboxes.hasBus(busName)) {
    return { error: { ErrorCode: 'NotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` } };
  }
  // The SDK sends Time as epoch seconds.
  const time = typeof e['Time'] === 'number' ? new Date(e['Time'] * 1000).toISOString() : new Date().toISOString();
  const event: Omit<EventBridgeEvent, 'EventId'> = {
    EventBusName: busName,
    Source: e['Source'],
    DetailType: e['DetailType'],
    Detail: e['Detail'],
    Resources: resources as string[],
    Time: time,
  };
  if (typeof e['TraceHeader'] === 'string') event.TraceHeader = e['TraceHeader'];
  return { event };
}
