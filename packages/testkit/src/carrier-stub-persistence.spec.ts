import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCarrierStub, type CarrierShipment, type CarrierStub } from './carrier-stub.js';

const dirs: string[] = [];
const stubs: CarrierStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const shipmentRequest = {
  orderId: 'ord-1',
  address: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  parcels: [{ items: [{ sku: 'BOOK-1', quantity: 1 }] }],
};

async function book(stub: CarrierStub, key: string): Promise<{ status: number; shipment: CarrierShipment }> {
  const res = await fetch(`${stub.url}/v1/shipments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(shipmentRequest),
  });
  return { status: res.status, shipment: (await res.json()) as CarrierShipment };
}

describe('CarrierStub dataFile', () => {
  it('keeps bookings across a restart: a retried booking replays its shipment instead of booking twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carrier-data-'));
    dirs.push(dir);
    const dataFile = join(dir, 'carrier.json');
    const first = await startCarrierStub({ dataFile });
    stubs.push(first);
    const booked = await book(first, 'ord-1:shipment:v1');
    expect(booked.status).toBe(201);
    await first.close();

    const second = await startCarrierStub({ dataFile });
    stubs.push(second);
    expect(second.bookings().map((b) => b.shipment.shipmentId)).toEqual([booked.shipment.shipmentId]);
    const replay = await book(second, 'ord-1:shipment:v1');
    expect(replay.shipment.shipmentId).toBe(booked.shipment.shipmentId);
    expect(second.bookings()).toHaveLength(1);
  });
});
