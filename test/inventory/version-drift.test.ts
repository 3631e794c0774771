import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { INVENTORY_RECONCILIATION_STREAM } from "../../src/inventory/reconcile";
import { ADMIN, call, createSku } from "../support/helpers";
import { skuStub } from "../support/inside-objects";
import { flushOutbox, streamRows } from "../support/outbox";
import { adjustAt, merchantSku, registerLocation } from "../stock/locations/support";

/**
 * The reconciliation compares the global view's `version` with the SKU
 * object's (spec §11), not only its levels: a located SKU's view says the
 * version of the newest change D1 has folded, so a row whose version was
 * corrupted, or that trails a write that moved no units, is drift, reported
 * exactly, repaired from the object and audited like any other.
 */

async function versions(sku: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT location, version FROM inventory_locations WHERE sku = ? ORDER BY location")
    .bind(sku)
    .all<{ location: string; version: number }>();
  return Object.fromEntries(results.map((r) => [r.location, r.version]));
}

async function reconcile(sku: string) {
  const res = await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku } });
  expect(res.status).toBe(200);
  return res.body;
}

async function summaryVersion(sku: string): Promise<number | null> {
  const res = await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body.data[0].version;
}

/** The version `GET /v1/inventory?location=` shows for the SKU at that location. */
async function itemVersion(sku: string, location: string): Promise<number | null> {
  const res = await call(`/v1/inventory?location=${location}&limit=100`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body.data.find((i: { sku: string }) => i.sku === sku)?.version ?? null;
}

/** A SKU with 3 units at default and 5 at a new location, every event folded. */
async function located() {
  const sku = await createSku({ stock: 3 });
  const a = (await registerLocation()).locationId;
  expect((await adjustAt(sku, a, 5)).status).toBe(200);
  await flushOutbox(sku);
  const version = (await merchantSku(sku)).body.version as number;
  return { sku, a, version };
}

describe("the reconciliation of a located SKU's version", () => {
  it("reports a corrupted version exactly, repairs it from the object, and audits it", async () => {
    const { sku, a, version } = await located();
    expect(await summaryVersion(sku)).toBe(version);
    expect(await reconcile(sku)).toMatchObject({ drifted: 0 });

    await env.DB.prepare("UPDATE inventory_locations SET version = 1 WHERE sku = ? AND location = ?").bind(sku, a).run();
    expect(await itemVersion(sku, a)).toBe(1);
    const report = await reconcile(sku);
    expect(report).toMatchObject({ checked: 1, drifted: 1, repaired: 1 });
    expect(report.drifts).toEqual([{ object: sku, location: a, kind: "version", d1: { version: 1 }, truth: { version }, behind: 0 }]);
    expect(await itemVersion(sku, a)).toBe(version);
    expect(await summaryVersion(sku)).toBe(version);
    const audited = (await streamRows(INVENTORY_RECONCILIATION_STREAM)).filter((r) => r.type === "inventory.drift");
    expect(JSON.parse(audited.at(-1)!.data)).toMatchObject({ object: sku, drifts: [expect.objectContaining({ kind: "version" })] });
    expect(await reconcile(sku)).toMatchObject({ drifted: 0, repaired: 0 });
  });

  it("reports a row whose version is past the object.s", async () => {
    const { sku, version } = await located();
    await env.DB.prepare("UPDATE inventory_locations SET version = ? WHERE sku = ? AND location = 'default'")
      .bind(version + 7, sku)
      .run();
    const report = await reconcile(sku);
    expect(report.drifts).toEqual([
      { object: sku, location: "default", kind: "version", d1: { version: version + 7 }, truth: { version }, behind: 0 },
    ]);
    expect(Math.max(...Object.values(await versions(sku)))).toBe(version);
  });

  it("reports the version of a write that moved no units while its event waits in the outbox, and the late event changes nothing", async () => {
    const { sku, version } = await located();
    await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
      o.shipper.retryNotBeforeMs = Date.now() + 3600_000;
      await state.storage.deleteAlarm();
    });
    const renamed = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "Renamed", price: { amount: 1000, currency: "usd" } },
    });
    expect(renamed.body.version).toBe(version + 1);
    const report = await reconcile(sku);
    // The levels did not move: the version is the only thing D1 has wrong.
    expect(report.drifts).toEqual([
      { object: sku, location: null, kind: "version", d1: { version }, truth: { version: version + 1 }, behind: 1 },
    ]);
    expect(await summaryVersion(sku)).toBe(version + 1);
    const repaired = await versions(sku);
    await runInDurableObject(skuStub(sku), async (o: SkuObject) => {
      o.shipper.retryNotBeforeMs = 0;
    });
    await flushOutbox(sku);
    expect(await versions(sku)).toEqual(repaired);
    expect(await reconcile(sku)).toMatchObject({ drifted: 0 });
  });
});
