import type { JsonValue } from '@saga/asl';
import type { HistoryEvent, HistoryEventDetailsByType, HistoryEventType, Included } from './history.js';

/**
 * The JSON text of a history field, rendered only when someone reads it: most histories are never
 * read in full, and serialising every state's input and output as it happens was the engine's
 * largest cost. State data is never mutated, so rendering later gives the same text.
 */
export class LazyJson {
  constructor(readonly value: JsonValue | undefined) {}
  toJSON(): string {
    return JSON.stringify(this.value ?? null);
  }
}

/** A history field's JSON text, rendered when read (see {@link LazyJson}). */
export const historyText = (value: JsonValue | undefined): string => new LazyJson(value) as unknown as string;

/** Renders a details object's lazy fields as the JSON text AWS returns, in place (idempotent). */
function renderFields(details: Record<string, unknown>): void {
  for (const field in details) {
    const v = details[field];
    if (v instanceof LazyJson) details[field] = v.toJSON();
  }
}

/**
 * One execution's history, stored compactly and made into events when read.
 *
 * Why not an array of events: an engine holds thousands of histories (10,000 executions in flight
 * is a normal load test), and an event object with its details object, its boxed timestamp and
 * its lazy text wrapper cost about 190 bytes; history was a fifth of the engine's peak memory.
 * Here an event is four cells of one array: a header (type, previous event id, how the details
 * are kept), the time since the first event (a small integer), and two cells for the details. The
 * common events (a state entered or exited, a Lambda function scheduled or succeeded, the
 * execution started or succeeded) keep their two fields in those cells; any other event keeps its
 * details object in the first.
 *
 * Ids are consecutive from `firstId`.
 */
export class HistoryLog {
  private readonly cells: unknown[];
  /** Cells in use (the array may be longer: room made up front). */
  private used = 0;
  private origin = 0;
  /** `retryDelayMs` by event index: few events carry one. */
  private retryDelays: Map<number, number> | undefined;

  get length(): number {
    return this.used / CELLS;
  }

  /** The id of the last event (0 when there is none). */
  get lastEventId(): number {
    return this.firstId + this.length - 1;
  }

  constructor(
    /** The id of the first event (a resumed execution's log starts after its checkpoint). */
    private firstId = 1,
    /**
     * Room for this many events up front: a machine's executions tend to have histories of the
     * same length, and growing the array step by step copies it several times.
     */
    expectedEvents = 0,
  ) {
    this.cells = expectedEvents > 0 ? new Array<unknown>(expectedEvents * CELLS) : [];
  }

  /**
   * Appends the next event; returns its id. `details` holds the type's details member (an event
   * itself will do: what the engine passes is `{ <member>: ... }` alone).
   */
  append<T extends HistoryEventType>(
    type: T,
    previousEventId: number,
    timestamp: number,
    details: HistoryEventDetailsByType[T],
    retryDelayMs?: number,
  ): number {
    const cells = this.cells;
    const index = this.used / CELLS;
    if (index === 0) this.origin = timestamp;
    const { code, member, shape } = TYPE_INFO[type];
    const fields = member === undefined ? undefined : ((details as Record<string, unknown>)[member] as Fields);
    const compact = fields !== undefined && shape !== undefined ? compactFields(shape, fields) : undefined;
    const at = this.used;
    this.used += CELLS;
    cells[at] = (previousEventId * TYPE_CODES + code) * 2 + (compact ? 1 : 0);
    cells[at + 1] = timestamp - this.origin;
    cells[at + 2] = compact ? compact[0] : fields;
    cells[at + 3] = compact ? compact[1] : undefined;
    if (retryDelayMs !== undefined) (this.retryDelays ??= new Map()).set(index, retryDelayMs);
    return this.firstId + index;
  }

  /**
   * Appends an event of a compact shape from its fields, without a details object: `first` is the
   * state's name or the Lambda resource (unused for LambdaFunctionSucceeded), `data` the JSON
   * data its text is rendered from when read. An event that carries no details takes neither.
   * The type comes as its code ({@link EVENT}): a lookup by name for every event was 1-2 % of an
   * execution's work.
   */
  appendFields(
    code: EventCode<CompactEventType | DetaillessEventType>,
    previousEventId: number,
    timestamp: number,
    first: string | undefined,
    data: JsonValue | undefined,
    retryDelayMs?: number,
  ): number {
    const cells = this.cells;
    const at = this.used;
    const index = at / CELLS;
    if (index === 0) this.origin = timestamp;
    this.used += CELLS;
    cells[at] = (previousEventId * TYPE_CODES + code) * 2 + 1;
    cells[at + 1] = timestamp - this.origin;
    cells[at + 2] = first;
    cells[at + 3] = data;
    if (retryDelayMs !== undefined) (this.retryDelays ??= new Map()).set(index, retryDelayMs);
    return this.firstId + index;
  }

  /** Appends an event read back (from a journal): its id must be the next one. */
  appendEvent(event: HistoryEvent): void {
    if (this.length === 0) this.firstId = event.id;
    else if (event.id !== this.lastEventId + 1) throw new Error(`history event ${event.id} appended after event ${this.lastEventId}`);
    this.append(event.type, event.previousEventId, event.timestamp, event as never, event.retryDelayMs);
  }

  /** The event at `index` (0-based), its text fields rendered: a new object on each read. */
  at(index: number): HistoryEvent {
    if (!(index >= 0 && index < this.length)) throw new RangeError(`no history event at index ${index}`);
    const c = index * CELLS;
    const header = this.cells[c] as number;
    const compact = header % 2 === 1;
    const code = Math.floor(header / 2) % TYPE_CODES;
    const type = TYPES[code]!;
    const event: Record<string, unknown> = {
      type,
      id: this.firstId + index,
      previousEventId: Math.floor(header / 2 / TYPE_CODES),
      timestamp: this.origin + (this.cells[c + 1] as number),
    };
    const { member, shape } = TYPE_INFO[type];
    if (member !== undefined) {
      const a = this.cells[c + 2];
      if (compact && shape !== undefined) {
        event[member] = expand(shape, a as string | undefined, this.cells[c + 3] as JsonValue | undefined);
      } else {
        renderFields(a as Record<string, unknown>);
        event[member] = { ...(a as object) };
      }
    }
    const delay = this.retryDelays?.get(index);
    if (delay !== undefined) event.retryDelayMs = delay;
    return event as unknown as HistoryEvent;
  }

  /** Events `[from, to)` as a new array. */
  toArray(from = 0, to = this.length): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) events.push(this.at(i));
    return events;
  }

  /** Keeps the first `count` events (a restart drops events past the last checkpoint). */
  truncate(count: number): void {
    if (count >= this.length) return;
    this.used = Math.max(0, count) * CELLS;
    this.cells.length = this.used;
    if (this.retryDelays) for (const index of [...this.retryDelays.keys()]) if (index >= count) this.retryDelays.delete(index);
  }
}

const CELLS = 4;

/**
 * The event types whose details fit in two cells: a string (a name, a resource, a role) and one
 * lazy JSON field. Any other optional member sends an event to the general form.
 */
type Shape = 'nameAndInput' | 'nameAndOutput' | 'resourceAndInput' | 'output' | 'executionStarted' | 'executionSucceeded';

/** The event types with a compact shape (see {@link HistoryLog.appendFields}). */
export type CompactEventType =
  | Extract<HistoryEventType, `${string}StateEntered` | `${string}StateExited`>
  | 'LambdaFunctionScheduled'
  | 'LambdaFunctionSucceeded'
  | 'ExecutionStarted'
  | 'ExecutionSucceeded';

/** The event types that carry no details (LambdaFunctionStarted, ParallelStateStarted, ...). */
export type DetaillessEventType = {
  [T in HistoryEventType]: keyof HistoryEventDetailsByType[T] extends never ? T : never;
}[HistoryEventType];

type Fields = Record<string, unknown>;

/** The details of a compact event, its JSON text rendered. */
function expand(shape: Shape, first: string | undefined, data: JsonValue | undefined): Fields {
  const text = JSON.stringify(data ?? null);
  switch (shape) {
    case 'nameAndInput':
      return { name: first, input: text };
    case 'nameAndOutput':
      return { name: first, output: text };
    case 'resourceAndInput':
      return { resource: first, input: text };
    case 'output':
      return { output: text };
    case 'executionStarted':
      return { input: text, inputDetails: { truncated: false }, ...(first !== undefined ? { roleArn: first } : {}) };
    case 'executionSucceeded':
      return { output: text, outputDetails: { truncated: false } };
  }
}

/** Details as {@link expand} makes them from two cells: `[first, data]`, or undefined if they hold more. */
function compactFields(shape: Shape, d: Fields): [first: string | undefined, data: JsonValue | undefined] | undefined {
  switch (shape) {
    case 'nameAndInput':
      return d.input instanceof LazyJson && d.inputDetails === undefined ? [d.name as string, d.input.value] : undefined;
    case 'nameAndOutput':
      return d.output instanceof LazyJson && d.outputDetails === undefined && d.assignedVariables === undefined && d.assignedVariablesDetails === undefined
        ? [d.name as string, d.output.value]
        : undefined;
    case 'resourceAndInput':
      return d.input instanceof LazyJson && d.inputDetails === undefined && d.timeoutInSeconds === undefined ? [d.resource as string, d.input.value] : undefined;
    case 'output':
      return d.output instanceof LazyJson && d.outputDetails === undefined ? [undefined, d.output.value] : undefined;
    case 'executionStarted':
      return d.input instanceof LazyJson && untruncated(d.inputDetails) ? [d.roleArn as string | undefined, d.input.value] : undefined;
    case 'executionSucceeded':
      return d.output instanceof LazyJson && untruncated(d.outputDetails) ? [undefined, d.output.value] : undefined;
  }
}

/** Exactly `{ truncated: false }`, the input/output details the compact form renders. */
function untruncated(x: unknown): boolean {
  return typeof x === 'object' && x !== null && Object.keys(x).length === 1 && (x as Included).truncated === false;
}

/** Each event type's details member (undefined: the type carries none) and, if any, its compact shape. */
const EVENT_TYPES: {
  [T in HistoryEventType]: T extends CompactEventType ? readonly [member: string, shape: Shape] : readonly [member: string | undefined];
} = {
  ExecutionStarted: ['executionStartedEventDetails', 'executionStarted'],
  ExecutionSucceeded: ['executionSucceededEventDetails', 'executionSucceeded'],
  ExecutionFailed: ['executionFailedEventDetails'],
  ExecutionAborted: ['executionAbortedEventDetails'],
  ExecutionTimedOut: ['executionTimedOutEventDetails'],
  TaskStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  TaskStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  TaskStateAborted: [undefined],
  PassStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  PassStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  ChoiceStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  ChoiceStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  WaitStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  WaitStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  WaitStateAborted: [undefined],
  SucceedStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  SucceedStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  FailStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  ParallelStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  ParallelStateStarted: [undefined],
  ParallelStateSucceeded: [undefined],
  ParallelStateFailed: [undefined],
  ParallelStateAborted: [undefined],
  ParallelStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  MapStateEntered: ['stateEnteredEventDetails', 'nameAndInput'],
  MapStateStarted: ['mapStateStartedEventDetails'],
  MapStateSucceeded: [undefined],
  MapStateFailed: [undefined],
  MapStateAborted: [undefined],
  MapStateExited: ['stateExitedEventDetails', 'nameAndOutput'],
  MapIterationStarted: ['mapIterationStartedEventDetails'],
  MapIterationSucceeded: ['mapIterationSucceededEventDetails'],
  MapIterationFailed: ['mapIterationFailedEventDetails'],
  MapIterationAborted: ['mapIterationAbortedEventDetails'],
  TaskScheduled: ['taskScheduledEventDetails'],
  TaskStarted: ['taskStartedEventDetails'],
  TaskSubmitted: ['taskSubmittedEventDetails'],
  TaskSucceeded: ['taskSucceededEventDetails'],
  TaskFailed: ['taskFailedEventDetails'],
  TaskTimedOut: ['taskTimedOutEventDetails'],
  LambdaFunctionScheduled: ['lambdaFunctionScheduledEventDetails', 'resourceAndInput'],
  LambdaFunctionStarted: [undefined],
  LambdaFunctionSucceeded: ['lambdaFunctionSucceededEventDetails', 'output'],
  LambdaFunctionFailed: ['lambdaFunctionFailedEventDetails'],
  LambdaFunctionTimedOut: ['lambdaFunctionTimedOutEventDetails'],
  EvaluationFailed: ['evaluationFailedEventDetails'],
};

const TYPES = Object.keys(EVENT_TYPES) as HistoryEventType[];
/** Room for the type in a header: a power of two above the number of types. */
const TYPE_CODES = 64;
if (TYPES.length > TYPE_CODES) throw new Error(`${TYPES.length} history event types do not fit in ${TYPE_CODES} codes`);
interface TypeInfo {
  code: number;
  member: string | undefined;
  shape: Shape | undefined;
}
const TYPE_INFO = Object.fromEntries(
  TYPES.map((type, code): [HistoryEventType, TypeInfo] => {
    const [member, shape] = EVENT_TYPES[type] as readonly [string | undefined, Shape?];
    return [type, { code, member, shape }];
  }),
) as Record<HistoryEventType, TypeInfo>;

declare const eventTypeOfCode: unique symbol;
/** The code an event type is stored under, typed with its type: `EVENT.TaskStateEntered`. */
export type EventCode<T extends HistoryEventType> = number & { readonly [eventTypeOfCode]: T };

/** Every event type's code (its place in the log's headers). */
export const EVENT = Object.freeze(Object.fromEntries(TYPES.map((type, code) => [type, code]))) as {
  readonly [T in HistoryEventType]: EventCode<T>;
};

/** The event type stored under a code. */
export function eventTypeOf<T extends HistoryEventType>(code: EventCode<T>): T {
  return TYPES[code] as T;
}
