import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeServer, type StripeServer } from './stripe-server.js';

const dirs: string[] = [];
const servers: StripeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(dataFile: string): Promise<{ server: StripeServer; stripe: Stripe }> {
  const server = await startStripeServer({ dataFile });
  servers.push(server);
  return { server, stripe: new Stripe(server.apiKey, { ...server.sdkOptions(), maxNetworkRetries: 0 }) };
}

function dataFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stripe-data-'));
  dirs.push(dir);
  return join(dir, 'nested', 'stripe.json');
}

describe('dataFile: the account survives a restart', () => {
  it('keeps PaymentIntents, captures and idempotent responses; refunds work after the restart', async () => {
    const file = dataFile();
    const first = await start(file);
    const create = { amount: 4200, currency: 'eur', capture_method: 'manual', confirm: true, payment_method: 'pm_card_visa', metadata: { orderId: 'ord-1' } } as const;
    const pi = await first.stripe.paymentIntents.create(create, { idempotencyKey: 'ord-1:charge' });
    await first.stripe.paymentIntents.capture(pi.id, {}, { idempotencyKey: 'ord-1:capture' });
    await first.server.close();

    const second = await start(file);
    expect((await second.stripe.paymentIntents.retrieve(pi.id)).status).toBe('succeeded');
    // The same idempotency key replays the saved answer: no second PaymentIntent.
    const replay = await second.stripe.paymentIntents.create(create, { idempotencyKey: 'ord-1:charge' });
    expect(replay.id).toBe(pi.id);
    await second.stripe.refunds.create({ payment_intent: pi.id }, { idempotencyKey: 'ord-1:refund' });
    expect(second.server.ledger({ orderId: 'ord-1' })).toMatchObject([{ captured: 4200, refunded: 4200, net: 0 }]);
    await second.server.close();

    const third = await start(file);
    expect(third.server.ledger()).toHaveLength(1);
    expect(third.server.ledger()[0]).toMatchObject({ paymentIntentId: pi.id, captured: 4200, refunded: 4200 });
  });

  it('is written whole: the file is valid JSON after every answered request', async () => {
    const file = dataFile();
    const { stripe } = await start(file);
    for (let i = 0; i < 5; i++) {
      await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'eur', capture_method: 'manual', confirm: true, payment_method: 'pm_card_visa' });
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { paymentIntents: unknown[] };
      expect(saved.paymentIntents).toHaveLength(i + 1);
    }
  });

  it('refuses a file that is not its data file instead of starting empty', async () => {
    const file = dataFile();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ something: 'else' }));
    await expect(startStripeServer({ dataFile: file })).rejects.toThrow(/not a Stripe server data file/);
  });
});
