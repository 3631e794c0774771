import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { ADMIN, call, createSku, hold } from "../../support/helpers";
import { skuStub } from "../../support/inside-objects";
import { fakeQueue, flushOutbox, shipThrough } from "../../support/outbox";
import { adjustAt, merchantSku, registerLocation, stockAt } from "./support";

/**
 * The global view of a located SKU (spec §11): its locations folded from the
 * shipped events, the summary as their sum, the reconciliation that finds
 * and repairs each kind of drift, and per-location stock alerts.
 */

type LocRow = { location: string; on_hand: number; reserved: number; available: number; version: number; last_seq: number };

async function locationRows(sku: string): Promise<LocRow[]> {
  const { results } = await env.DB.prepare(
    "SELECT location, on_hand, reserved, available, version, last_seq FROM inventory_locations WHERE sku = ? ORDER BY location",
  )
    .bind(sku)
    .all<LocRow>();
  return results;
}

async function summary(sku: string) {
  const res = await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body.data[0];
}

async function reconcile(sku: string) {
  const res = await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku } });
  expect(res.status).toBe(200);
  return res.body;
}

/** A SKU with 3 units at default (its stock before it was located), 5 at `a`, 2 at `b`. */
async function twoPlaces() {
  const sku = await createSku({ stock: 3 });
  const a = await registerLocation();
  const b = await registerLocation();
  expect((await adjustAt(sku, a.locationId, 5)).status).toBe(200);
  expect((await adjustAt(sku, b.locationId, 2)).status).toBe(200);
  await flushOutbox(sku);
  return { sku, a: a.locationId, b: b.locationId };
}

describe("the global view of a located SKU", () => {
  it("follows a write that moves no location's levels (a rename): the view's version is the SKU's", async () => {
    const { sku } = await twoPlaces();
    const put = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "Renamed", price: { amount: 1000, currency: "usd" } },
    });
    expect(put.status).toBe(200);
    await flushOutbox(sku);
    expect((await summary(sku)).version).toBe(put.body.version);
  });

  it("folds each location from the events and shows the SKU as the sum of its locations, with its version", async () => {
    const { sku, a, b } = await twoPlaces();
    const view = (await merchantSku(sku)).body;
    expect(await summary(sku)).toMatchObject({
      sku,
      byLocation: { default: 3, [a]: 5, [b]: 2 },
      total: 10,
      version: view.version,
      lagMs: 0,
    });
    expect(view.available).toBe(10);
    const res = await call(`/v1/inventory?location=${a}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ sku, location: a, onHand: 5, reserved: 0, available: 5, sold: 0, inTransit: 0, safetyStock: 0 }),
    ]);
    // A hold moves its location's row; safety stock comes off what the location offers.
    expect((await hold(sku, "gv-1", 1)).status).toBe(201);
    expect((await stockAt(sku, b, { safetyStock: 1 })).status).toBe(200);
    await flushOutbox(sku);
    const after = (await merchantSku(sku)).body;
    const byLocation = Object.fromEntries(after.locations.map((l: { location: string; available: number }) => [l.location, l.available]));
    expect(await summary(sku)).toMatchObject({ byLocation, total: after.available, version: after.version });
  });

  it("reports a corrupted, a deleted, an extra and a trailing location row exactly and repairs each from the object", async () => {
    const { sku, a, b } = await twoPlaces();
    await env.DB.prepare("UPDATE inventory_locations SET available = 40, on_hand = 40 WHERE sku = ? AND location = ?").bind(sku, a).run();
    await env.DB.prepare("DELETE FROM inventory_locations WHERE sku = ? AND location = ?").bind(sku, b).run();
    await env.DB.prepare(
      "INSERT INTO inventory_locations (sku, location, on_hand, reserved, available, sold, in_transit, safety_stock, version, last_seq, as_of_ms) VALUES (?, 'ghost', 9, 0, 9, 0, 0, 0, 1, 1, 1)",
    )
      .bind(sku)
      .run();
    const report = await reconcile(sku);
    expect(report).toMatchObject({ checked: 1, drifted: 3, repaired: 3 });
    const byKind = Object.fromEntries(report.drifts.map((d: { location: string; kind: string }) => [d.location, d]));
    expect(byKind[a]).toMatchObject({ kind: "changed", d1: { onHand: 40, available: 40 }, truth: { onHand: 5, available: 5 }, behind: 0 });
    expect(byKind[b]).toMatchObject({ kind: "missing", d1: null, truth: { onHand: 2, available: 2 } });
    expect(byKind.ghost).toMatchObject({ kind: "extra", d1: { onHand: 9 }, truth: null });
    expect((await locationRows(sku)).map((r) => [r.location, r.available])).toEqual(
      [
        ["default", 3],
        [a, 5],
        [b, 2],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(await reconcile(sku)).toMatchObject({ drifted: 0, repaired: 0 });

    // The outbox held back: the view trails the object; the reconciliation repairs it, and the late events change nothing.
    await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
      o.shipper.retryNotBeforeMs = Date.now() + 3600_000;
      await state.storage.deleteAlarm();
    });
    expect((await adjustAt(sku, a, 4)).status).toBe(200);
    const late = await reconcile(sku);
    expect(late.drifts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          location: a,
          kind: "changed",
          d1: expect.objectContaining({ onHand: 5 }),
          truth: expect.objectContaining({ onHand: 9 }),
          behind: 1,
        }),
      ]),
    );
    const repaired = await locationRows(sku);
    await runInDurableObject(skuStub(sku), async (o: SkuObject) => {
      o.shipper.retryNotBeforeMs = 0;
    });
    await flushOutbox(sku);
    expect(await locationRows(sku)).toEqual(repaired);
    expect((await summary(sku)).byLocation[a]).toBe(9);
  });
});

describe("per-location stock alerts", () => {
  it("fire per location with the location named, and for the SKU's total as before", async () => {
    const sku = await createSku();
    const a = (await registerLocation()).locationId;
    const b = (await registerLocation()).locationId;
    await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
      o.shipper.retryNotBeforeMs = Date.now() + 3600_000;
      await state.storage.deleteAlarm();
    });
    const ship = async () => {
      const q = fakeQueue();
      await shipThrough(sku, { notifications: q.queue });
      return (q.sent as Array<{ type: string; data: { available: number; location?: string } }>).map((n) => [
        n.type,
        n.data.location ?? null,
        n.data.available,
      ]);
    };
    await ship();
    expect((await adjustAt(sku, a, 3)).status).toBe(200);
    // Stocked at or below the threshold (10): the SKU and the location are both low.
    expect(await ship()).toEqual([
      ["stock.low", null, 3],
      ["stock.low", a, 3],
    ]);
    expect((await adjustAt(sku, a, -3)).status).toBe(200);
    expect(await ship()).toEqual([
      ["stock.sold_out", null, 0],
      ["stock.sold_out", a, 0],
    ]);
    // Stock elsewhere: the SKU is back; `a` is still out, and `b` was never in a lower band.
    expect((await adjustAt(sku, b, 20)).status).toBe(200);
    expect(await ship()).toEqual([["stock.back_in_stock", null, 20]]);
    expect((await adjustAt(sku, a, 1)).status).toBe(200);
    expect(await ship()).toEqual([
      ["stock.back_in_stock", a, 1],
      ["stock.low", a, 1],
    ]);
  });
});
