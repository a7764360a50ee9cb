import type { HistoryEvent, HistoryEventDetailsByType, HistoryEventType } from '../history.js';
import type { HistoryLog } from '../history-log.js';

/** The causal thread events are chained on (`previousEventId`): the execution, or one branch of it. */
export interface EventThread {
  last: number;
}

/** Appends history events to an execution's log, with `previousEventId` along each thread. */
export class HistoryWriter {
  private closed = false;

  constructor(
    private readonly log: HistoryLog,
    private readonly clock: { now(): number },
    /** Told of each event as it is appended (made from the log, text rendered). */
    private readonly onEvent?: (event: HistoryEvent) => void,
  ) {}

  get lastEventId(): number {
    return this.log.lastEventId;
  }

  add<T extends HistoryEventType>(
    thread: EventThread,
    type: T,
    details: HistoryEventDetailsByType[T],
    extra?: { retryDelayMs?: number },
  ): number {
    // Work cancelled by the end of the execution may still unwind: nothing follows the last event.
    if (this.closed) return thread.last;
    if (TERMINAL.has(type)) this.closed = true;
    const id = this.log.append(type, thread.last, this.clock.now(), details, extra?.retryDelayMs);
    thread.last = id;
    if (this.onEvent) this.onEvent(this.log.at(this.log.length - 1));
    return id;
  }
}

const TERMINAL = new Set<HistoryEventType>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
