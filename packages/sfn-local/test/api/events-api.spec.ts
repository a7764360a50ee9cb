import { EventBridgeClient, ListRulesCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboxes, type Outboxes } from '../../src/integrations/index.js';
import { startServer, type TestServer } from './support.js';

/** EventBridge PutEvents on the engine's endpoint, through the real @aws-sdk/client-eventbridge. */

let server: TestServer | undefined;
let client: EventBridgeClient | undefined;
afterEach(async () => {
  client?.destroy();
  await server?.close();
  server = undefined;
  client = undefined;
});

async function start(outboxes: Outboxes = createOutboxes()) {
  server = await startServer({ resolve: () => undefined, outboxes });
  client = new EventBridgeClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  return { outboxes, client };
}

const receipt = (orderId: string) => ({
  Source: 'saga.fulfilment',
  DetailType: 'OrderFulfilled',
  Detail: JSON.stringify({ orderId }),
  EventBusName: 'saga-dev-events',
  Time: new Date(Date.UTC(2026, 10, 22, 6, 0, 0)),
});

describe('PutEvents', () => {
  it('delivers each entry to its local bus (name or ARN) and answers an EventId per entry', async () => {
    const { outboxes, client } = await start();
    const out = await client.send(
      new PutEventsCommand({
        Entries: [receipt('o-1'), { ...receipt('o-2'), EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/saga-dev-events' }],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toHaveLength(2);
    const events = outboxes.bus('saga-dev-events').events();
    expect(events.map((e) => JSON.parse(e.Detail).orderId)).toEqual(['o-1', 'o-2']);
    expect(events[0]).toMatchObject({ Source: 'saga.fulfilment', DetailType: 'OrderFulfilled', Time: '2026-11-22T06:00:00.000Z' });
    expect(out.Entries!.map((e) => e.EventId)).toEqual(events.map((e) => e.EventId));
  });

  it('a malformed entry fails alone (FailedEntryCount), the others are delivered', async () => {
    const { outboxes, client } = await start();
    const out = await client.send(new PutEventsCommand({ Entries: [receipt('o-1'), { ...receipt('o-2'), Detail: 'not json' }, { ...receipt('o-3'), Source: '' }] }));
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries![1]).toMatchObject({ ErrorCode: 'MalformedDetail' });
    expect(out.Entries![2]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(outboxes.bus('saga-dev-events').events()).toHaveLength(1);
  });

  it('an injected bus failure shows as a failed entry, as a throttled PutEvents does', async () => {
    const { outboxes, client } = await start();
    outboxes.bus('saga-dev-events').injectFailure({ errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' });
    const out = await client.send(new PutEventsCommand({ Entries: [receipt('o-1')] }));
    expect(out).toMatchObject({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
  });

  it('with auto-create off, an unknown bus is NotFoundException per entry', async () => {
    const { client } = await start(createOutboxes({ autoCreate: false }));
    const out = await client.send(new PutEventsCommand({ Entries: [receipt('o-1')] }));
    expect(out.Entries![0]).toMatchObject({ ErrorCode: 'NotFoundException' });
  });

  it('more than 10 entries is a ValidationException; other operations are not served', async () => {
    const { client } = await start();
    await expect(client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, (_, i) => receipt(`o-${i}`)) }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException' });
  });
});
