import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, holdOf, shopperToken } from "../../support/helpers";
import { adjustAt, levelsAt, registerLocation } from "./support";

/**
 * Spec §11: a hold is allocated when it is taken, from the request's
 * destination and the SKU's routing, and everything after (release,
 * expiry, checkout, commit, return, a change of quantity) follows that
 * allocation.
 */
const NYC = { latitude: 40.71, longitude: -74.0 };
const LA = { latitude: 34.05, longitude: -118.24 };
const BERLIN = { latitude: 52.52, longitude: 13.4 };

async function holdAt(sku: string, customer: string, body: Record<string, unknown>) {
  return call(`/v1/skus/${sku}/holds`, { auth: await shopperToken(customer), body });
}

async function setPolicy(sku: string, policy: { routing?: string; split?: boolean }) {
  const res = await call(`/v1/skus/${sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: "located", price: { amount: 1000, currency: "usd" }, alwaysOn: true, ...policy },
  });
  expect(res.status).toBe(200);
  return res.body;
}

/** A SKU stocked at an east and a west warehouse (and default, emptied: its units were none). */
async function twoCoasts(east = 5, west = 5, over: { east?: object; west?: object } = {}) {
  const sku = await createSku();
  const e = await registerLocation({ country: "US", ...NYC, priority: 1, ...over.east });
  const w = await registerLocation({ country: "US", ...LA, priority: 0, ...over.west });
  expect((await adjustAt(sku, e.locationId, east)).status).toBe(200);
  expect((await adjustAt(sku, w.locationId, west)).status).toBe(200);
  return { sku, east: e.locationId, west: w.locationId };
}

describe("allocation at the hold", () => {
  it("nearest: the closest location by great-circle distance to shipTo", async () => {
    const { sku, east, west } = await twoCoasts();
    const near = await holdAt(sku, "n-1", { quantity: 1, shipTo: { country: "US", latitude: 36.1, longitude: -115.1 } });
    expect(near.status).toBe(201);
    expect(holdOf(near).allocations).toEqual([{ location: west, quantity: 1 }]);
    const far = await holdAt(sku, "n-2", { quantity: 2, shipTo: { country: "US", latitude: 42.3, longitude: -71.0 } });
    expect(holdOf(far).allocations).toEqual([{ location: east, quantity: 2 }]);
    expect(await levelsAt(sku, east)).toMatchObject({ reserved: 2, available: 3 });
    expect(await levelsAt(sku, west)).toMatchObject({ reserved: 1, available: 4 });
  });

  it("nearest without coordinates: same country first, then priority", async () => {
    const sku = await createSku();
    const us = await registerLocation({ country: "US", priority: 0 });
    const de = await registerLocation({ country: "DE", ...BERLIN, priority: 5 });
    expect((await adjustAt(sku, us.locationId, 3)).status).toBe(200);
    expect((await adjustAt(sku, de.locationId, 3)).status).toBe(200);
    const res = await holdAt(sku, "c-1", { quantity: 1, shipTo: { country: "US" } });
    expect(holdOf(res).allocations).toEqual([{ location: us.locationId, quantity: 1 }]);
  });

  it("without shipTo the edge's geography of the request is the destination", async () => {
    // West wins every tie: only the request's coordinates can pick east.
    const { sku, east } = await twoCoasts(5, 5, { west: { priority: 3 } });
    const res = await exports.default.fetch(
      new Request(`https://holdfast.test/v1/skus/${sku}/holds`, {
        method: "POST",
        headers: { authorization: await shopperToken("cf-1"), "content-type": "application/json" },
        body: JSON.stringify({ quantity: 1 }),
        cf: { country: "US", latitude: "40.0", longitude: "-75.0" },
      }),
    );
    expect(res.status).toBe(201);
    expect(((await res.json()) as { allocations: unknown }).allocations).toEqual([{ location: east, quantity: 1 }]);
  });

  it("priority and most_stock routing, set on the SKU", async () => {
    const { sku, east, west } = await twoCoasts(2, 6);
    expect((await setPolicy(sku, { routing: "priority" })).routing).toBe("priority");
    const byPriority = await holdAt(sku, "p-1", { quantity: 1, shipTo: { country: "US", ...LA } });
    expect(holdOf(byPriority).allocations).toEqual([{ location: east, quantity: 1 }]);
    await setPolicy(sku, { routing: "most_stock" });
    const byStock = await holdAt(sku, "p-2", { quantity: 1, shipTo: { country: "US", ...NYC } });
    expect(holdOf(byStock).allocations).toEqual([{ location: west, quantity: 1 }]);
  });

  it("split off: a quantity no single location has is refused with each location's availability; split on takes it from several", async () => {
    const { sku, east, west } = await twoCoasts(3, 2);
    const refused = await holdAt(sku, "s-1", { quantity: 4, shipTo: { country: "US", ...NYC } });
    expectProblem(refused, 409, "insufficient_stock");
    expect(refused.body.available).toBe(3);
    // Nearest first; `default` (no coordinates, emptied by nothing: it never had units) last.
    expect(refused.body.locations).toEqual([
      { location: east, available: 3 },
      { location: west, available: 2 },
      { location: "default", available: 0 },
    ]);
    await setPolicy(sku, { split: true });
    const split = await holdAt(sku, "s-2", { quantity: 4, shipTo: { country: "US", ...NYC } });
    expect(split.status).toBe(201);
    expect(holdOf(split).allocations).toEqual([
      { location: east, quantity: 3 },
      { location: west, quantity: 1 },
    ]);
  });

  it("pickupAt serves only that location, and only if it is an active pickup point; paused locations keep their holds", async () => {
    const { sku, east, west } = await twoCoasts(3, 3, { east: { pickup: true } });
    expectProblem(await holdAt(sku, "k-1", { quantity: 1, pickupAt: west }), 409, "insufficient_stock");
    const picked = await holdAt(sku, "k-2", { quantity: 1, pickupAt: east });
    expect(holdOf(picked).allocations).toEqual([{ location: east, quantity: 1 }]);
    expectProblem(await holdAt(sku, "k-3", { quantity: 1, pickupAt: east, shipTo: { country: "US" } }), 400, "invalid_request");
    // Paused: no new holds there, the existing one lives on and is released back there.
    const profile = await registerLocation({
      locationId: east,
      country: "US",
      ...NYC,
      priority: 1,
      pickup: true,
      status: "paused",
      revision: 2,
    });
    expect(await env.SKU.getByName(sku).setLocationProfile(profile)).toEqual({ applied: true });
    const after = await holdAt(sku, "k-4", { quantity: 1, shipTo: { country: "US", ...NYC } });
    expect(holdOf(after).allocations).toEqual([{ location: west, quantity: 1 }]);
    expectProblem(await holdAt(sku, "k-5", { quantity: 1, pickupAt: east }), 409, "insufficient_stock");
    const released = await call(`/v1/skus/${sku}/holds/${holdOf(picked).holdId}`, { method: "DELETE", auth: await shopperToken("k-2") });
    expect(released.status).toBe(200);
    expect(await levelsAt(sku, east)).toMatchObject({ reserved: 0, available: 3 });
  });

  it("checkout, commit and return follow the allocation; expiry gives units back where they were", async () => {
    const { sku, east, west } = await twoCoasts(4, 4);
    const stub = env.SKU.getByName(sku);
    const h = holdOf(await holdAt(sku, "o-1", { quantity: 2, shipTo: { country: "US", ...LA } }));
    expect(h.allocations).toEqual([{ location: west, quantity: 2 }]);
    expect((await stub.beginCheckout(h.holdId, "ord-loc-1", "merchant")).ok).toBe(true);
    const committed = await stub.commit(h.holdId, "ord-loc-1");
    expect(committed.ok && committed.value.allocations).toEqual([{ location: west, quantity: 2 }]);
    expect(await levelsAt(sku, west)).toMatchObject({ onHand: 2, reserved: 0, sold: 2 });
    expect((await stub.returnHold(h.holdId, "ord-loc-1")).ok).toBe(true);
    expect(await levelsAt(sku, west)).toMatchObject({ onHand: 4, reserved: 0, sold: 0, available: 4 });
    const lapsing = holdOf(await holdAt(sku, "o-2", { quantity: 3, shipTo: { country: "US", ...NYC } }));
    expect(await levelsAt(sku, east)).toMatchObject({ reserved: 3 });
    expect((await stub.expireHoldNow(lapsing.holdId)).ok).toBe(true);
    expect(await levelsAt(sku, east)).toMatchObject({ reserved: 0, available: 4 });
    const listed = await call(`/v1/skus/${sku}/holds`, { auth: ADMIN });
    expect(listed.status).toBe(200);
    const rows = (listed.body.holds ?? listed.body.items ?? listed.body.data) as { holdId: string; allocations?: unknown }[];
    expect(rows.find((r) => r.holdId === lapsing.holdId)?.allocations).toEqual([{ location: east, quantity: 3 }]);
  });

  it("a change of quantity: a decrease leaves the last entries first, an increase with split off comes from the same location", async () => {
    const { sku, east, west } = await twoCoasts(3, 3);
    await setPolicy(sku, { split: true });
    const token = await shopperToken("q-1");
    const h = holdOf(await holdAt(sku, "q-1", { quantity: 5, shipTo: { country: "US", ...NYC } }));
    expect(h.allocations).toEqual([
      { location: east, quantity: 3 },
      { location: west, quantity: 2 },
    ]);
    const fewer = await call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "PATCH", auth: token, body: { quantity: 2 } });
    expect(fewer.body.allocations).toEqual([{ location: east, quantity: 2 }]);
    expect(await levelsAt(sku, west)).toMatchObject({ reserved: 0 });
    await setPolicy(sku, { split: false });
    const more = await call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "PATCH", auth: token, body: { quantity: 4 } });
    expectProblem(more, 409, "insufficient_stock");
    expect(more.body.available).toBe(1);
    const one = await call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "PATCH", auth: token, body: { quantity: 3 } });
    expect(one.body.allocations).toEqual([{ location: east, quantity: 3 }]);
    expect(await levelsAt(sku, east)).toMatchObject({ reserved: 3, available: 0 });
  });
});
