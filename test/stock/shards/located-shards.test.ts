import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, holdOf, shopperToken } from "../../support/helpers";
import { customersOnShard, setPace, stubOf } from "../../support/shards";
import { adjustAt, merchantSku, registerLocation, stockAt } from "../locations/support";

/**
 * Locations on a sharded SKU (spec §8, §11; issue 19 item 2): the escrow
 * moves units of a named location, each shard allocates among its
 * per-location allotments with the SKU's policy, and the invariants hold per
 * location across the pool and every shard (the stats' escrow audit).
 */
const NYC = { latitude: 40.71, longitude: -74.0 };
const LA = { latitude: 34.05, longitude: -118.24 };
const NEAR_LA = { country: "US", latitude: 36.1, longitude: -115.1 };
const NEAR_NYC = { country: "US", latitude: 42.3, longitude: -71.0 };

async function holdAt(sku: string, customer: string, body: Record<string, unknown>) {
  return call(`/v1/skus/${sku}/holds`, { auth: await shopperToken(customer), body });
}

/** A hold by a customer of shard `index` (of 2), released by its shopper: its units stay free on that shard. Its allocations. */
async function heldThenReleased(sku: string, index: number, body: Record<string, unknown>) {
  const [customer] = customersOnShard(index, 2, 1, `freed-${index}-${sku}-`);
  const held = await holdAt(sku, customer!, body);
  expect(held.status).toBe(201);
  const auth = await shopperToken(customer!);
  expect((await call(`/v1/skus/${sku}/holds/${holdOf(held).holdId}`, { method: "DELETE", auth })).status).toBe(200);
  return holdOf(held).allocations;
}

async function shard(sku: string, shards: number) {
  const res = await call(`/v1/skus/${sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: "located", price: { amount: 1000, currency: "usd" }, alwaysOn: true, shards },
  });
  expect(res.status).toBe(200);
}

async function audit(sku: string) {
  const stats = await call(`/v1/skus/${sku}/stats`, { auth: ADMIN });
  expect(stats.status).toBe(200);
  return stats.body.escrow.audit as { ok: boolean; problems: string[] };
}

type Loc = { location: string; onHand: number; reserved: number; available: number; sold: number };

async function byLocation(sku: string): Promise<Map<string, Loc>> {
  const body = (await merchantSku(sku)).body as { locations?: Loc[] };
  return new Map((body.locations ?? []).map((l) => [l.location, l]));
}

describe("locations on a sharded SKU", () => {
  it("a sharded SKU stocks named locations, and its shards allocate by the SKU's policy", async () => {
    const sku = await createSku();
    await shard(sku, 4);
    const east = (await registerLocation({ country: "US", ...NYC, priority: 1 })).locationId;
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    expect((await adjustAt(sku, east, 6)).status).toBe(200);
    expect((await adjustAt(sku, west, 6)).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const w = await holdAt(sku, `lw-${i}-${sku}`, { quantity: 1, shipTo: NEAR_LA });
      expect(w.status).toBe(201);
      expect(holdOf(w).allocations).toEqual([{ location: west, quantity: 1 }]);
      const e = await holdAt(sku, `le-${i}-${sku}`, { quantity: 1, shipTo: NEAR_NYC });
      expect(e.status).toBe(201);
      expect(holdOf(e).allocations).toEqual([{ location: east, quantity: 1 }]);
    }
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
    const levels = await byLocation(sku);
    expect(levels.get(east)).toMatchObject({ onHand: 6, reserved: 4, sold: 0 });
    expect(levels.get(west)).toMatchObject({ onHand: 6, reserved: 4, sold: 0 });
    expect((await merchantSku(sku)).body.available).toBe(4);
  });

  it("a hold asks for the preferred location's unit a busy sibling keeps free, rather than take one from farther away", async () => {
    const sku = await createSku();
    await shard(sku, 2);
    const east = (await registerLocation({ country: "US", ...NYC })).locationId;
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    expect((await adjustAt(sku, east, 1)).status).toBe(200);
    expect((await adjustAt(sku, west, 6)).status).toBe(200);
    // Shard 0 takes the one east unit for a hold that is then released: the unit sits free on shard 0.
    expect(await heldThenReleased(sku, 0, { quantity: 1, shipTo: NEAR_NYC })).toEqual([{ location: east, quantity: 1 }]);
    // Shard 0 is busy: a recall lets it keep its pace, which here covers that unit.
    await setPace(stubOf(sku, 0), 5, 60_000);
    const [second] = customersOnShard(1, 2, 1, `near-${sku}-`);
    const near = await holdAt(sku, second!, { quantity: 1, shipTo: NEAR_NYC });
    expect(near.status).toBe(201);
    expect(holdOf(near).allocations).toEqual([{ location: east, quantity: 1 }]);
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("a located SKU is sharded later, and a hold no location can fill is refused for its destination, not sold out", async () => {
    const sku = await createSku({ stock: 2 });
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    const store = (await registerLocation({ country: "US", ...NYC, pickup: true })).locationId;
    expect((await adjustAt(sku, west, 3)).status).toBe(200);
    expect((await stockAt(sku, store)).status).toBe(200);
    await shard(sku, 3);
    const pick = await holdAt(sku, `lp-${sku}`, { quantity: 1, pickupAt: store });
    expectProblem(pick, 409, "insufficient_stock");
    expect(pick.body.locations).toEqual([{ location: store, available: 0 }]);
    const ship = await holdAt(sku, `ls-${sku}`, { quantity: 3, shipTo: NEAR_LA });
    expect(ship.status).toBe(201);
    expect(holdOf(ship).allocations).toEqual([{ location: west, quantity: 3 }]);
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
    expect((await byLocation(sku)).get("default")).toMatchObject({ onHand: 2, reserved: 0 });
  });

  it("a transfer between locations takes back the source's units the shards keep free", async () => {
    const sku = await createSku();
    await shard(sku, 2);
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    const east = (await registerLocation({ country: "US", ...NYC })).locationId;
    expect((await adjustAt(sku, west, 4)).status).toBe(200);
    expect((await stockAt(sku, east)).status).toBe(200);
    // Each shard takes some west units for a hold, then the holds are released: the units sit free on the shards.
    for (const s of [0, 1]) await heldThenReleased(sku, s, { quantity: 1, shipTo: NEAR_LA });
    const sent = await call("/v1/transfers", { auth: ADMIN, body: { sku, from: west, to: east, quantity: 4 } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect((await call(`/v1/transfers/${sent.body.transferId}/receive`, { auth: ADMIN, body: {} })).status).toBe(200);
    expect((await byLocation(sku)).get(east)).toMatchObject({ onHand: 4, available: 4 });
    expect((await byLocation(sku)).get(west)).toMatchObject({ onHand: 0 });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("a hold on a located shard grows with units the pool sends from its location", async () => {
    const sku = await createSku();
    await shard(sku, 2);
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    expect((await adjustAt(sku, west, 10)).status).toBe(200);
    const [customer] = customersOnShard(1, 2, 1, `grow-${sku}-`);
    const held = await holdAt(sku, customer!, { quantity: 1, shipTo: NEAR_LA });
    expect(held.status).toBe(201);
    // More than a first refill sends a shard: the change must ask the pool for units at the hold's location.
    const grown = await call(`/v1/skus/${sku}/holds/${holdOf(held).holdId}`, {
      method: "PATCH",
      auth: await shopperToken(customer!),
      body: { quantity: 8 },
    });
    expect(grown.status, JSON.stringify(grown.body)).toBe(200);
    expect(holdOf(grown).allocations).toEqual([{ location: west, quantity: 8 }]);
    expect((await byLocation(sku)).get(west)).toMatchObject({ onHand: 10, reserved: 8 });
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("a location paused at the registry stops serving the units shards already hold there", async () => {
    const sku = await createSku();
    await shard(sku, 2);
    const westProfile = await registerLocation({ country: "US", ...LA });
    const west = westProfile.locationId;
    const east = (await registerLocation({ country: "US", ...NYC })).locationId;
    expect((await adjustAt(sku, west, 6)).status).toBe(200);
    expect((await adjustAt(sku, east, 6)).status).toBe(200);
    const [first, second] = customersOnShard(0, 2, 2, `pause-${sku}-`);
    const held = await holdAt(sku, first!, { quantity: 1, shipTo: NEAR_LA });
    expect(holdOf(held).allocations).toEqual([{ location: west, quantity: 1 }]);
    // The registry's push reaches the SKU's own object (src/locations/push.ts); the shard keeps west units.
    expect(await stubOf(sku, null).setLocationProfile({ ...westProfile, status: "paused", revision: 2 })).toEqual({ applied: true });
    const after = await holdAt(sku, second!, { quantity: 1, shipTo: NEAR_LA });
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(holdOf(after).allocations).toEqual([{ location: east, quantity: 1 }]);
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });

  it("shrinkage at a location recalls that location's units from the shards", async () => {
    const sku = await createSku();
    await shard(sku, 2);
    const west = (await registerLocation({ country: "US", ...LA })).locationId;
    expect((await adjustAt(sku, west, 4)).status).toBe(200);
    expect((await holdAt(sku, `lr-${sku}`, { quantity: 1, shipTo: NEAR_LA })).status).toBe(201);
    expect((await adjustAt(sku, west, -3)).status).toBe(200);
    expect((await byLocation(sku)).get(west)).toMatchObject({ onHand: 1, reserved: 1, available: 0 });
    expectProblem(await adjustAt(sku, west, -1), 409, "insufficient_stock");
    expect(await audit(sku)).toEqual({ ok: true, problems: [] });
  });
});
