import { describe, expect, it } from "vitest";
import { objectName } from "../../../src/stock/addressing";
import { ADMIN, call, createSku, shopperToken } from "../../support/helpers";
import { flushOutbox } from "../../support/outbox";
import { adjustAt, merchantSku, registerLocation } from "../locations/support";

/**
 * The global view (spec §11) of a located SKU split into stock shards: each
 * object ships its own locations' events, and D1's view per location and its
 * summary are still the sum the SKU's own object shows, with nothing for the
 * reconciliation to repair.
 */
const SHARDS = 3;
const EAST = { country: "US", latitude: 40.71, longitude: -74.0 };
const WEST = { country: "US", latitude: 34.05, longitude: -118.24 };

async function flushEveryObject(sku: string) {
  await flushOutbox(sku);
  for (let shard = 0; shard < SHARDS; shard++) await flushOutbox(objectName(sku, shard));
}

describe("the global view of a sharded located SKU", () => {
  it("is the sum of every object's locations, and the reconciliation finds no drift", async () => {
    const sku = await createSku({ stock: 2 });
    const shard = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "sharded located", price: { amount: 1000, currency: "usd" }, alwaysOn: true, shards: SHARDS },
    });
    expect(shard.status).toBe(200);
    const east = (await registerLocation(EAST)).locationId;
    const west = (await registerLocation(WEST)).locationId;
    expect((await adjustAt(sku, east, 8)).status).toBe(200);
    expect((await adjustAt(sku, west, 5)).status).toBe(200);
    for (let i = 0; i < 6; i++) {
      const shipTo = i % 2 === 0 ? { country: "US", latitude: 41, longitude: -73 } : { country: "US", latitude: 35, longitude: -117 };
      const res = await call(`/v1/skus/${sku}/holds`, { auth: await shopperToken(`gv-${i}-${sku}`), body: { quantity: 1, shipTo } });
      expect(res.status).toBe(201);
    }
    await flushEveryObject(sku);

    const truth = (await merchantSku(sku)).body as { available: number; locations: { location: string; available: number }[] };
    const expected = Object.fromEntries(truth.locations.map((l) => [l.location, l.available]));
    const summary = await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN });
    expect(summary.status).toBe(200);
    expect(summary.body.data).toHaveLength(1);
    expect(summary.body.data[0]).toMatchObject({ sku, byLocation: expected, total: truth.available });
    for (const location of [east, west]) {
      const rows = await call(`/v1/inventory?location=${location}`, { auth: ADMIN });
      expect(rows.status).toBe(200);
      const mine = rows.body.data.filter((r: { sku: string }) => r.sku === sku);
      expect(mine, `one row for ${sku} at ${location}`).toHaveLength(1);
      expect(mine[0].available).toBe(expected[location]);
    }
    const reconciled = await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku } });
    expect(reconciled.status).toBe(200);
    expect(reconciled.body, JSON.stringify(reconciled.body)).toMatchObject({ drifted: 0, repaired: 0 });
  });
});
