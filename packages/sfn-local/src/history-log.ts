import type { JsonValue } from '@saga/asl';
import type { HistoryEvent, HistoryEventType } from './history.js';

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

/** Renders an event's lazy fields as the strings AWS returns, in place (idempotent). */
export function renderEvent<E extends object>(event: E): E {
  for (const key in event) {
    const member = (event as Record<string, unknown>)[key];
    if (member && typeof member === 'object') renderFields(member as Record<string, unknown>);
  }
  return event;
}

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
 * common events (a state entered or exited, a Lambda function scheduled or succeeded) keep their
 * two fields in those cells; any other event keeps its details object in the first.
 *
 * Ids are consecutive: the first event appended sets where they start.
 */
export class HistoryLog {
  private readonly cells: unknown[] = [];
  private firstId = 1;
  private origin = 0;
  /** `retryDelayMs` by event index: few events carry one. */
  private retryDelays: Map<number, number> | undefined;

  get length(): number {
    return this.cells.length / CELLS;
  }

  /** The id of the last event (0 when there is none). */
  get lastEventId(): number {
    return this.firstId + this.length - 1;
  }

  append(event: HistoryEvent): void {
    const index = this.length;
    if (index === 0) {
      this.firstId = event.id;
      this.origin = event.timestamp;
    } else if (event.id !== this.firstId + index) {
      throw new Error(`history event ${event.id} appended after event ${this.lastEventId}`);
    }
    const code = TYPE_CODE[event.type];
    const member = DETAILS_MEMBER[event.type];
    const details = member === undefined ? undefined : ((event as unknown as Record<string, unknown>)[member] as Record<string, unknown>);
    const shape = SHAPE[event.type];
    const compact = details !== undefined && shape !== undefined && fitsInCells(shape, details);
    this.cells.push(
      (event.previousEventId * TYPE_CODES + code) * 2 + (compact ? 1 : 0),
      event.timestamp - this.origin,
      compact ? (shape === 'output' ? undefined : details[FIRST_FIELD[shape]]) : details,
      compact ? (details[DATA_FIELD[shape]] as LazyJson).value : undefined,
    );
    if (event.retryDelayMs !== undefined) (this.retryDelays ??= new Map()).set(index, event.retryDelayMs);
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
    const member = DETAILS_MEMBER[type];
    if (member !== undefined) {
      const a = this.cells[c + 2];
      if (compact) {
        const shape = SHAPE[type]!;
        event[member] =
          shape === 'output'
            ? { output: JSON.stringify(this.cells[c + 3] ?? null) }
            : { [FIRST_FIELD[shape]]: a, [DATA_FIELD[shape]]: JSON.stringify(this.cells[c + 3] ?? null) };
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
    this.cells.length = Math.max(0, count) * CELLS;
    if (this.retryDelays) for (const index of [...this.retryDelays.keys()]) if (index >= count) this.retryDelays.delete(index);
  }
}

const CELLS = 4;

/**
 * The event types whose details fit in two cells: a name or resource and one lazy JSON field
 * (`output`-only for the second shape). Any optional member present sends an event to the
 * general form.
 */
type Shape = 'nameAndInput' | 'nameAndOutput' | 'resourceAndInput' | 'output';
const FIRST_FIELD = { nameAndInput: 'name', nameAndOutput: 'name', resourceAndInput: 'resource', output: 'output' } as const;
const DATA_FIELD = { nameAndInput: 'input', nameAndOutput: 'output', resourceAndInput: 'input', output: 'output' } as const;
const FIELD_COUNT = { nameAndInput: 2, nameAndOutput: 2, resourceAndInput: 2, output: 1 } as const;

function fitsInCells(shape: Shape, details: Record<string, unknown>): boolean {
  let fields = 0;
  for (const field in details) {
    if (details[field] === undefined) continue;
    if (field !== FIRST_FIELD[shape] && field !== DATA_FIELD[shape]) return false;
    fields++;
  }
  return fields === FIELD_COUNT[shape] && details[DATA_FIELD[shape]] instanceof LazyJson;
}

/** Each event type's details member (undefined: the type carries none) and, if any, its compact shape. */
const EVENT_TYPES: { [T in HistoryEventType]: readonly [member: string | undefined, shape?: Shape] } = {
  ExecutionStarted: ['executionStartedEventDetails'],
  ExecutionSucceeded: ['executionSucceededEventDetails'],
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
const TYPE_CODE = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<HistoryEventType, number>;
const DETAILS_MEMBER = Object.fromEntries(TYPES.map((t) => [t, EVENT_TYPES[t][0]])) as Record<HistoryEventType, string | undefined>;
const SHAPE = Object.fromEntries(TYPES.map((t) => [t, EVENT_TYPES[t][1]])) as Record<HistoryEventType, Shape | undefined>;
