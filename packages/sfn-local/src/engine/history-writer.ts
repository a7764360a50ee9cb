import type { JsonValue } from '@saga/asl';
import type { HistoryEvent, HistoryEventDetailsByType, HistoryEventType } from '../history.js';
import type { CompactEventType, DetaillessEventType, EventCode, HistoryLog } from '../history-log.js';
import { EVENT, eventTypeOf, historyText } from '../history-log.js';

type StateEnteredType = Extract<HistoryEventType, `${string}StateEntered`>;
type StateExitedType = Extract<HistoryEventType, `${string}StateExited`>;

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
    return this.appended(thread, this.log.append(type, thread.last, this.clock.now(), details, extra?.retryDelayMs));
  }

  // The common events, from their fields: no details object is made for them.

  /** `<Type>StateEntered` with the state's name and raw input. */
  entered(thread: EventThread, code: EventCode<StateEnteredType>, name: string, input: JsonValue): void {
    this.addFields(thread, code, name, input);
  }

  /** `<Type>StateExited` with the state's name, output and the variables it assigned, if any. */
  exited(
    thread: EventThread,
    code: EventCode<StateExitedType>,
    name: string,
    output: JsonValue,
    assignedVariables?: Record<string, string>,
  ): void {
    if (assignedVariables) {
      this.add(thread, eventTypeOf(code), { stateExitedEventDetails: { name, output: historyText(output), assignedVariables } });
    } else {
      this.addFields(thread, code, name, output);
    }
  }

  /** LambdaFunctionScheduled (a retry's attempt carries its computed delay). */
  lambdaScheduled(thread: EventThread, resource: string, input: JsonValue, timeoutInSeconds?: number, retryDelayMs?: number): void {
    if (timeoutInSeconds !== undefined) {
      const details = { resource, input: historyText(input), timeoutInSeconds };
      this.add(thread, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: details }, { retryDelayMs });
    } else {
      this.addFields(thread, EVENT.LambdaFunctionScheduled, resource, input, retryDelayMs);
    }
  }

  /** ExecutionStarted with the execution's input and role. */
  executionStarted(thread: EventThread, input: JsonValue, roleArn: string): void {
    this.addFields(thread, EVENT.ExecutionStarted, roleArn, input);
  }

  /** ExecutionSucceeded with the execution's output (the last event). */
  executionSucceeded(thread: EventThread, output: JsonValue): void {
    this.addFields(thread, EVENT.ExecutionSucceeded, undefined, output);
    this.closed = true;
  }

  /**
   * An event without details (LambdaFunctionStarted, ParallelStateStarted, TaskStateAborted, ...),
   * appended as the compact ones are: the general path's lookups cost every Lambda task.
   */
  addDetailless(thread: EventThread, code: EventCode<DetaillessEventType>): void {
    this.addFields(thread, code, undefined, undefined);
  }

  /** LambdaFunctionSucceeded with the function's output. */
  lambdaSucceeded(thread: EventThread, output: JsonValue): void {
    this.addFields(thread, EVENT.LambdaFunctionSucceeded, undefined, output);
  }

  /** A compact event: of those, only ExecutionSucceeded ends the history, and it closes it itself. */
  private addFields(
    thread: EventThread,
    code: EventCode<CompactEventType | DetaillessEventType>,
    first: string | undefined,
    data: JsonValue | undefined,
    retryDelayMs?: number,
  ): void {
    if (this.closed) return;
    this.appended(thread, this.log.appendFields(code, thread.last, this.clock.now(), first, data, retryDelayMs));
  }

  private appended(thread: EventThread, id: number): number {
    thread.last = id;
    if (this.onEvent) this.onEvent(this.log.at(this.log.length - 1));
    return id;
  }
}

const TERMINAL = new Set<HistoryEventType>(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
