import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidToken,
  StartExecutionCommand,
  ValidationException,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, ROLE_ARN, startServer, type TestServer } from './support.js';


let server: TestServer;
let executionArn: string;

/** Five Pass states: 1 ExecutionStarted + 5 × (Entered, Exited) + 1 ExecutionSucceeded = 12 events. */
const FIVE_PASSES = JSON.stringify({
  StartAt: 'P1',
  States: {
    P1: { Type: 'Pass', Next: 'P2' },
    P2: { Type: 'Pass', Next: 'P3' },
    P3: { Type: 'Pass', Next: 'P4' },
    P4: { Type: 'Pass', Next: 'P5' },
    P5: { Type: 'Pass', Result: { done: true }, End: true },
  },
});

beforeEach(async () => {
  server = await startServer();
  const sm = await server.client.send(new CreateStateMachineCommand({ name: 'five', definition: FIVE_PASSES, roleArn: ROLE_ARN }));
  const started = await server.client.send(
    new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, name: 'run', input: '{"n":1}' }),
  );
  executionArn = started.executionArn!;
  await eventually(async () => {
    const d = await server.client.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'SUCCEEDED';
  });
});
afterEach(async () => {
  await server.close();
});

async function allPages(options: { maxResults?: number; reverseOrder?: boolean }): Promise<{ events: HistoryEvent[]; pages: number }> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const out = await server.client.send(new GetExecutionHistoryCommand({ executionArn, ...options, nextToken }));
    events.push(...out.events!);
    nextToken = out.nextToken;
    pages++;
  } while (nextToken);
  return { events, pages };
}

describe('GetExecutionHistory', () => {
  it('returns every event in order with ids from 1, previousEventId and Date timestamps', async () => {
    const out = await server.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const events = out.events!;
    expect(events).toHaveLength(12);
    expect(out.nextToken).toBeUndefined();
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0 });
    expect(events[0]!.executionStartedEventDetails).toMatchObject({ input: '{"n":1}', roleArn: ROLE_ARN });
    expect(events[1]).toMatchObject({ type: 'PassStateEntered', previousEventId: 1, stateEnteredEventDetails: { name: 'P1' } });
    expect(events[11]).toMatchObject({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"done":true}' } });
    for (const e of events) expect(e.timestamp).toBeInstanceOf(Date);
  });

  it('pages forward with maxResults and nextToken', async () => {
    const { events, pages } = await allPages({ maxResults: 5 });
    expect(pages).toBe(3);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('pages newest first with reverseOrder', async () => {
    const { events, pages } = await allPages({ maxResults: 5, reverseOrder: true });
    expect(pages).toBe(3);
    expect(events.map((e) => e.id)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(events[0]!.type).toBe('ExecutionSucceeded');
  });

  it('treats maxResults 0 as the default page size of 100', async () => {
    const out = await server.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 0 }));
    expect(out.events).toHaveLength(12);
  });

  it('leaves out inputs and outputs with includeExecutionData false', async () => {
    const out = await server.client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    const started = out.events![0]!;
    expect(started.executionStartedEventDetails?.input).toBeUndefined();
    expect(started.executionStartedEventDetails?.roleArn).toBe(ROLE_ARN);
    expect(out.events![1]!.stateEnteredEventDetails).toEqual({ name: 'P1' });
  });

  it('refuses maxResults above 1000 with the verbatim AWS validation message', async () => {
    const err = await server.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1001 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toBe(
      "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  it('refuses a token of another listing or order with InvalidToken', async () => {
    const first = await server.client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    await expect(
      server.client.send(new GetExecutionHistoryCommand({ executionArn, nextToken: first.nextToken, reverseOrder: true })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(server.client.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'not-a-token' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
  });

  it('answers ExecutionDoesNotExist and InvalidArn', async () => {
    await expect(
      server.client.send(new GetExecutionHistoryCommand({ executionArn: executionArn.replace(':run', ':nope') })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      server.client.send(new GetExecutionHistoryCommand({ executionArn: executionArn.replace(':execution:', ':express:') + ':uuid' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });
});
