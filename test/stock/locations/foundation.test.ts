import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, hold, holdOf, restock } from "../../support/helpers";
import { adjustAt, levelsAt, merchantSku, registerLocation, stockAt } from "./support";

/**
 * Spec §11's foundation on the SKU object: a SKU gains locations without
 * losing a unit or a hold, adjustments name a location, the merchant view
 * carries each location's levels and the version, and merchant writes are
 * a compare-and-set under If-Match.
 */
describe("a SKU gains locations", () => {
  it("naming a first location turns its stock and live holds into location default's, then adds the named one", async () => {
    const sku = await createSku({ stock: 10 });
    const held = await hold(sku, "f-a", 3);
    expect(held.status).toBe(201);
    const wh = await registerLocation();
    const res = await adjustAt(sku, wh.locationId, 5);
    expect(res.status).toBe(200);
    const view = (await merchantSku(sku)).body;
    expect(view).toMatchObject({ onHand: 15, reserved: 3, available: 12, received: 15 });
    expect(view.locations).toEqual([
      { location: "default", onHand: 10, reserved: 3, available: 7, sold: 0, inTransit: 0, safetyStock: 0 },
      { location: wh.locationId, onHand: 5, reserved: 0, available: 5, sold: 0, inTransit: 0, safetyStock: 0 },
    ]);
    // The hold that was live before keeps its units, now at default.
    const again = await call(`/v1/skus/${sku}/holds/${holdOf(held).holdId}`, { auth: ADMIN });
    expect(again.body.allocations).toEqual([{ location: "default", quantity: 3 }]);
    // A release gives them back where they came from.
    const released = await call(`/v1/skus/${sku}/holds/${holdOf(held).holdId}`, { method: "DELETE", auth: ADMIN });
    expect(released.status).toBe(200);
    expect(await levelsAt(sku, "default")).toMatchObject({ reserved: 0, available: 10 });
  });

  it("an adjustment without a location is refused location_required once the SKU has several", async () => {
    const sku = await createSku({ stock: 2 });
    const wh = await registerLocation();
    expect((await adjustAt(sku, wh.locationId, 1)).status).toBe(200);
    expectProblem(await adjustAt(sku, undefined, 1), 409, "location_required");
    expect((await merchantSku(sku)).body.onHand).toBe(3);
  });

  it("an unregistered location is not_found and changes nothing", async () => {
    const sku = await createSku({ stock: 2 });
    expectProblem(await adjustAt(sku, "nowhere-at-all", 1), 404, "not_found");
    expectProblem(await stockAt(sku, "nowhere-at-all"), 404, "not_found");
    const view = (await merchantSku(sku)).body;
    expect(view.onHand).toBe(2);
    expect(view.locations).toBeUndefined();
  });

  it("shrinkage at a location takes at most its units no hold has", async () => {
    const sku = await createSku();
    const wh = await registerLocation();
    expect((await adjustAt(sku, wh.locationId, 4)).status).toBe(200);
    const res = await adjustAt(sku, "default", -1);
    expectProblem(res, 409, "insufficient_stock");
    expect(res.body.available).toBe(0);
    expect((await adjustAt(sku, wh.locationId, -4)).status).toBe(200);
  });

  it("stocking a location records it in D1 and sets its safety stock, which no hold is offered", async () => {
    const sku = await createSku();
    const wh = await registerLocation();
    const res = await stockAt(sku, wh.locationId, { safetyStock: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toBe(`"${res.body.version}"`);
    const row = await env.DB.prepare("SELECT location_id FROM sku_locations WHERE sku = ?").bind(sku).all();
    expect(row.results).toEqual([{ location_id: wh.locationId }]);
    expect((await adjustAt(sku, wh.locationId, 3)).status).toBe(200);
    expect(await levelsAt(sku, wh.locationId)).toMatchObject({ onHand: 3, available: 1, safetyStock: 2 });
    expect((await merchantSku(sku)).body.available).toBe(1);
    expectProblem(await hold(sku, "f-ss", 2), 409, "insufficient_stock");
    expect((await hold(sku, "f-ss", 1)).status).toBe(201);
  });

  it("a sharded SKU stocks other locations, and a SKU with locations may be sharded (test/stock/shards/located-shards.test.ts)", async () => {
    const sharded = await createSku({ stock: 4 });
    const put = await call(`/v1/skus/${sharded}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "s", price: { amount: 100, currency: "usd" }, alwaysOn: true, shards: 2 },
    });
    expect(put.status).toBe(200);
    const wh = await registerLocation();
    expect((await adjustAt(sharded, wh.locationId, 1)).status).toBe(200);
    const located = await createSku({ stock: 1 });
    expect((await stockAt(located, wh.locationId)).status).toBe(200);
    const reshard = await call(`/v1/skus/${located}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "l", price: { amount: 100, currency: "usd" }, alwaysOn: true, shards: 4 },
    });
    expect(reshard.status).toBe(200);
    expect((await merchantSku(located)).body.shards).toBe(4);
  });

  it("the registry's push applies only a newer profile of a stocked location, and moves the version", async () => {
    const sku = await createSku();
    const wh = await registerLocation({ revision: 3 });
    expect((await stockAt(sku, wh.locationId)).status).toBe(200);
    const stub = env.SKU.getByName(sku);
    const v0 = (await merchantSku(sku)).body.version;
    expect(await stub.setLocationProfile({ ...wh, revision: 3 })).toEqual({ applied: false });
    expect(await stub.setLocationProfile({ ...wh, status: "paused", revision: 4 })).toEqual({ applied: true });
    expect(await stub.setLocationProfile({ ...wh, locationId: "not-stocked", revision: 9 })).toEqual({ applied: false });
    expect((await merchantSku(sku)).body.version).toBe(v0 + 1);
  });
});

describe("versions and If-Match", () => {
  it("every merchant write moves the version, holds do not; GET sends it as ETag", async () => {
    const sku = await createSku();
    const v1 = (await merchantSku(sku)).body.version;
    await restock(sku, 5);
    const after = await merchantSku(sku);
    expect(after.body.version).toBe(v1 + 1);
    expect(after.headers.get("etag")).toBe(`"${v1 + 1}"`);
    expect((await hold(sku, "v-a", 1)).status).toBe(201);
    expect((await merchantSku(sku)).body.version).toBe(v1 + 1);
  });

  it("a stale If-Match is refused 412 version_conflict with currentVersion, and changes nothing", async () => {
    const sku = await createSku({ stock: 3 });
    const { version } = (await merchantSku(sku)).body;
    const stale = await adjustAt(sku, undefined, 1, { "if-match": `"${version - 1}"` });
    expectProblem(stale, 412, "version_conflict");
    expect(stale.body.currentVersion).toBe(version);
    expect((await merchantSku(sku)).body.onHand).toBe(3);
    const put = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      headers: { "if-match": `W/"${version - 1}"` },
      body: { name: "x", price: { amount: 100, currency: "usd" }, alwaysOn: true },
    });
    expectProblem(put, 412, "version_conflict");
    const wh = await registerLocation();
    expectProblem(await stockAt(sku, wh.locationId, {}, { "if-match": String(version + 5) }), 412, "version_conflict");
    const fresh = await adjustAt(sku, undefined, 1, { "if-match": String(version) });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).toBe(`"${version + 1}"`);
  });

  it("a malformed If-Match is a 400", async () => {
    const sku = await createSku({ stock: 1 });
    expectProblem(await adjustAt(sku, undefined, 1, { "if-match": "banana" }), 400, "invalid_request");
  });
});

describe("events of a located SKU", () => {
  it("carry the touched locations' levels and the version; an unlocated SKU's carry neither", async () => {
    const plain = await createSku({ stock: 2 });
    const sku = await createSku();
    const wh = await registerLocation();
    expect((await adjustAt(sku, wh.locationId, 4)).status).toBe(200);
    expect((await hold(sku, "e-a", 1)).status).toBe(201);
    expect((await hold(plain, "e-b", 1)).status).toBe(201);
    const eventsOf = (s: string) =>
      runEvents(s).then((rows) => rows.map((r) => ({ type: r.type, levels: (JSON.parse(r.data) as { levels?: unknown }).levels })));
    const located = await eventsOf(sku);
    const created = located.find((e) => e.type === "hold.created")!.levels as { locations: unknown[]; version: number };
    expect(created.locations).toEqual([
      { location: wh.locationId, onHand: 4, reserved: 1, available: 3, sold: 0, inTransit: 0, safetyStock: 0 },
    ]);
    expect(created.version).toBe((await merchantSku(sku)).body.version);
    for (const e of await eventsOf(plain)) {
      if (e.levels)
        expect(Object.keys(e.levels as object).sort()).toEqual(["available", "onHand", "received", "reserved", "returned", "sold"]);
    }
  });
});

async function runEvents(sku: string): Promise<{ type: string; data: string }[]> {
  const { runInDurableObject } = await import("cloudflare:test");
  return runInDurableObject(env.SKU.getByName(sku), (_o, state) =>
    state.storage.sql.exec<{ type: string; data: string }>("SELECT type, data FROM outbox ORDER BY seq").toArray(),
  );
}
