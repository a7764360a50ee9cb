import type { HistoryEvent, HistoryEventDetailsByType, HistoryEventType } from '../history.js';

/** The causal thread events are chained on (`previousEventId`): the execution, or one branch of it. */
export interface EventThread {
  last: number;
}

/** Appends history events with ids in order and `previousEventId` along each thread. */
export class HistoryWriter {
  private nextId: number;
  private closed = false;

  constructor(
    private readonly emit: (event: HistoryEvent) => void,
    private readonly now: () => number,
    lastEventId = 0,
  ) {
    this.nextId = lastEventId + 1;
  }

  get lastEventId(): number {
    return this.nextId - 1;
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
    const id = this.nextId++;
    const event = Object.assign({ type, id, previousEventId: thread.last, timestamp: this.now() }, details) as HistoryEvent;
    if (extra?.retryDelayMs !== undefined) event.retryDelayMs = extra.retryDelayMs;
    thread.last = id;
    this.emit(event);
    return id;
  }
}

const TERMINAL = new Set<HistoryEventType>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
