import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from './history.js';
import { EVENT, eventTypeOf, HistoryLog, historyText, LazyJson } from './history-log.js';

const T0 = 1_795_339_676_161;

/** Events as the engine writes them: text fields still lazy. */
function written(): HistoryEvent[] {
  let id = 0;
  const at = (ms: number) => ({ id: ++id, previousEventId: id - 1, timestamp: T0 + ms });
  return [
    {
      type: 'ExecutionStarted',
      ...at(0),
      executionStartedEventDetails: { input: historyText({ orderId: 'o-1' }), inputDetails: { truncated: false }, roleArn: 'arn:role' },
    },
    { type: 'TaskStateEntered', ...at(0), stateEnteredEventDetails: { name: 'ChargePayment', input: historyText({ orderId: 'o-1' }) } },
    {
      type: 'LambdaFunctionScheduled',
      ...at(1),
      lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:1:function:Charge', input: historyText('just a string') },
    },
    {
      type: 'LambdaFunctionScheduled',
      ...at(1),
      lambdaFunctionScheduledEventDetails: { resource: 'arn:fn', input: historyText(null), timeoutInSeconds: 30 },
    },
    { type: 'LambdaFunctionStarted', ...at(2) },
    { type: 'LambdaFunctionSucceeded', ...at(3), lambdaFunctionSucceededEventDetails: { output: historyText(undefined) } },
    { type: 'LambdaFunctionFailed', ...at(2_000), lambdaFunctionFailedEventDetails: { error: 'CarrierRateLimited', cause: 'slow down' }, retryDelayMs: 1_734 },
    {
      type: 'TaskStateExited',
      ...at(2_001),
      stateExitedEventDetails: { name: 'ChargePayment', output: historyText([1, { a: true }]), assignedVariables: { paid: 'true' } },
    },
    { type: 'PassStateExited', ...at(2_001), stateExitedEventDetails: { name: 'Done', output: historyText({ ok: 1 }) } },
    { type: 'MapIterationStarted', ...at(2_002), mapIterationStartedEventDetails: { name: 'Lines', index: 3 } },
    { type: 'ExecutionSucceeded', ...at(3_000_000_000), executionSucceededEventDetails: { output: historyText({ ok: 1 }), outputDetails: { truncated: false } } },
  ] as HistoryEvent[];
}

/** What reading the same events gives: every lazy field rendered as JSON text. */
const rendered = (events: HistoryEvent[]): unknown => JSON.parse(JSON.stringify(events));

describe('HistoryLog', () => {
  it('gives back every event as written, text fields rendered as JSON, compact or not', () => {
    const log = new HistoryLog();
    const events = written();
    for (const e of events) log.appendEvent(e);
    expect(log.length).toBe(events.length);
    expect(log.lastEventId).toBe(events.length);
    expect(log.toArray()).toEqual(rendered(written()));
    expect(log.at(2)).toEqual({
      type: 'LambdaFunctionScheduled',
      id: 3,
      previousEventId: 2,
      timestamp: T0 + 1,
      lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:1:function:Charge', input: '"just a string"' },
    });
    expect(log.at(5)).toMatchObject({ lambdaFunctionSucceededEventDetails: { output: 'null' } });
    expect(log.at(6).retryDelayMs).toBe(1_734);
    expect(log.at(10).timestamp).toBe(T0 + 3_000_000_000);
  });

  it('appends compact and detailless events from their fields, by code, as the general path would', () => {
    const byFields = new HistoryLog();
    byFields.appendFields(EVENT.TaskStateEntered, 0, T0, 'Charge', { orderId: 'o-1' });
    byFields.appendFields(EVENT.LambdaFunctionScheduled, 1, T0 + 1, 'arn:aws:lambda:us-east-1:1:function:Charge', 'x', 1_734);
    byFields.appendFields(EVENT.LambdaFunctionStarted, 2, T0 + 2, undefined, undefined);
    byFields.appendFields(EVENT.ParallelStateSucceeded, 3, T0 + 3, undefined, undefined);
    const general = new HistoryLog();
    const at = (id: number) => ({ id, previousEventId: id - 1, timestamp: T0 + id - 1 });
    general.appendEvent({ type: 'TaskStateEntered', ...at(1), stateEnteredEventDetails: { name: 'Charge', input: historyText({ orderId: 'o-1' }) } });
    general.appendEvent({
      type: 'LambdaFunctionScheduled',
      ...at(2),
      retryDelayMs: 1_734,
      lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:1:function:Charge', input: historyText('x') },
    });
    general.appendEvent({ type: 'LambdaFunctionStarted', ...at(3) });
    general.appendEvent({ type: 'ParallelStateSucceeded', ...at(4) });
    expect(byFields.toArray()).toEqual(general.toArray());
    expect(byFields.at(2)).toEqual({ type: 'LambdaFunctionStarted', ...at(3) });
  });

  it('names every event type by a code of its own', () => {
    const types = Object.keys(EVENT) as Array<keyof typeof EVENT>;
    expect(new Set(types.map((t) => EVENT[t])).size).toBe(types.length);
    for (const t of types) expect(eventTypeOf(EVENT[t])).toBe(t);
  });

  it('keeps what does not fit the compact form: no role, other input details', () => {
    const log = new HistoryLog();
    const started = { type: 'ExecutionStarted', id: 1, previousEventId: 0, timestamp: T0 } as const;
    log.appendEvent({ ...started, executionStartedEventDetails: { input: historyText({ a: 1 }), inputDetails: { truncated: false } } });
    log.appendEvent({
      ...started,
      id: 2,
      previousEventId: 1,
      executionStartedEventDetails: { input: historyText(null), inputDetails: { truncated: false, included: false }, roleArn: 'r' },
    });
    expect(log.toArray()).toEqual([
      { ...started, executionStartedEventDetails: { input: '{"a":1}', inputDetails: { truncated: false } } },
      { ...started, id: 2, previousEventId: 1, executionStartedEventDetails: { input: 'null', inputDetails: { truncated: false, included: false }, roleArn: 'r' } },
    ]);
  });

  it('keeps member order as AWS renders it, and gives a new object on each read', () => {
    const log = new HistoryLog();
    for (const e of written()) log.appendEvent(e);
    expect(Object.keys(log.at(1))).toEqual(['type', 'id', 'previousEventId', 'timestamp', 'stateEnteredEventDetails']);
    const first = log.at(7);
    (first as { stateExitedEventDetails: { name: string } }).stateExitedEventDetails.name = 'changed by a reader';
    expect(log.at(7)).toMatchObject({ stateExitedEventDetails: { name: 'ChargePayment', assignedVariables: { paid: 'true' } } });
  });

  it('gives the same text on every read of a compact event', () => {
    const log = new HistoryLog();
    const data = { orderId: 'o-1' };
    log.appendEvent({ type: 'TaskStateEntered', id: 1, previousEventId: 0, timestamp: T0, stateEnteredEventDetails: { name: 'S', input: historyText(data) } });
    expect(log.at(0)).toMatchObject({ stateEnteredEventDetails: { input: '{"orderId":"o-1"}' } });
    expect(log.at(0)).toMatchObject({ stateEnteredEventDetails: { input: '{"orderId":"o-1"}' } });
  });

  it('starts ids where the first event does (a resumed execution) and refuses a gap', () => {
    const log = new HistoryLog();
    log.appendEvent({ type: 'PassStateEntered', id: 7, previousEventId: 6, timestamp: T0, stateEnteredEventDetails: { name: 'P', input: historyText({}) } });
    expect(log.at(0).id).toBe(7);
    expect(log.lastEventId).toBe(7);
    expect(() => log.appendEvent({ type: 'TaskStateAborted', id: 9, previousEventId: 7, timestamp: T0 })).toThrow(
      'history event 9 appended after event 7',
    );
    expect(log.length).toBe(1);
  });

  it('truncates to a count of events, dropping their retry delays too', () => {
    const log = new HistoryLog();
    for (const e of written()) log.appendEvent(e);
    log.truncate(6);
    expect(log.length).toBe(6);
    expect(() => log.at(6)).toThrow(RangeError);
    log.appendEvent({ type: 'LambdaFunctionStarted', id: 7, previousEventId: 6, timestamp: T0 + 5 });
    expect(log.at(6)).toEqual({ type: 'LambdaFunctionStarted', id: 7, previousEventId: 6, timestamp: T0 + 5 });
    log.truncate(0);
    expect(log.length).toBe(0);
    expect(log.toArray()).toEqual([]);
  });

  it('behaves the same with room made up front, fewer events than expected or more', () => {
    for (const expected of [0, 3, written().length, 40]) {
      const log = new HistoryLog(1, expected);
      expect(log.length).toBe(0);
      for (const e of written()) log.appendEvent(e);
      expect(log.length).toBe(written().length);
      expect(log.toArray()).toEqual(rendered(written()));
      log.truncate(2);
      expect(log.toArray()).toEqual((rendered(written()) as HistoryEvent[]).slice(0, 2));
    }
  });

  it('takes events read back from a journal (text already rendered) as they are', () => {
    const log = new HistoryLog();
    for (const e of rendered(written()) as HistoryEvent[]) log.appendEvent(e);
    expect(log.toArray()).toEqual(rendered(written()));
  });

  it('leaves LazyJson rendering to toJSON: JSON.stringify of an unread event gives the text', () => {
    expect(JSON.stringify({ input: new LazyJson({ a: [1] }) })).toBe('{"input":"{\\"a\\":[1]}"}');
  });
});
