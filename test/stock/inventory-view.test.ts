import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { compareObject } from "../../src/inventory/drift";
import { INVENTORY_RECONCILIATION_STREAM, reconcileInventory } from "../../src/inventory/reconcile";
import { foldLocations, locationsAlong } from "../../src/stock/location-fold";
import { VIEW_LAG_MAX_MS } from "../../src/stock/view-lag";
import { ADMIN, call, createSku, expectProblem, hold, levels, unique } from "../support/helpers";
import { objectSql, skuStub } from "../support/inside-objects";
import { customersOnShard, setShards } from "../support/shards";
import { failingD1, fakeQueue, flushOutbox, inventoryRow, shipThrough, streamRows } from "../support/outbox";

/** The global view (spec §11): the fold, the summary, lag, and the reconciliation. */

const levelsOf = (location: string, available: number) => ({
  location,
  onHand: available + 1,
  reserved: 1,
  available,
  sold: 0,
  inTransit: 0,
  safetyStock: 0,
});
const located = (seq: number, version: number, ...ls: Array<ReturnType<typeof levelsOf>>) => ({
  seq,
  atMs: 1_000 * seq,
  body: { levels: { onHand: 0, reserved: 0, available: 0, sold: 0, received: 0, locations: ls, version } },
});

async function locationRows(object: string) {
  const { results } = await env.DB.prepare(
    "SELECT location, available, version, last_seq FROM inventory_locations WHERE sku = ? ORDER BY location",
  )
    .bind(object)
    .all<{ location: string; available: number; version: number; last_seq: number }>();
  return results;
}

/** Holds the object's own shipper back, as a D1 outage would: its events wait in its outbox. */
async function parkShipper(sku: string): Promise<void> {
  await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
    o.shipper.retryNotBeforeMs = Date.now() + 3600_000;
    await state.storage.deleteAlarm();
  });
}

async function unparkShipper(sku: string): Promise<void> {
  await runInDurableObject(skuStub(sku), async (o: SkuObject) => {
    o.shipper.retryNotBeforeMs = 0;
  });
}

async function reconcile(sku: string) {
  const res = await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku } });
  expect(res.status).toBe(200);
  return res.body;
}

describe("the per-location fold", () => {
  it("applies each location's newest levels once: a redelivered or reordered batch changes nothing", async () => {
    const object = unique("fold");
    const newer = locationsAlong([located(3, 5, levelsOf("a", 7)), located(4, 6, levelsOf("a", 6), levelsOf("b", 2))]);
    const older = locationsAlong([located(1, 3, levelsOf("a", 9), levelsOf("b", 9)), located(2, 4, levelsOf("c", 1))]);
    const run = (along: typeof newer) => env.DB.batch(foldLocations(env.DB, object, along));
    await run(newer);
    const after = [
      { location: "a", available: 6, version: 6, last_seq: 4 },
      { location: "b", available: 2, version: 6, last_seq: 4 },
    ];
    expect(await locationRows(object)).toEqual(after);
    await run(newer);
    expect(await locationRows(object)).toEqual(after);
    // The older batch arrives late: only the location no newer event touched takes its levels.
    await run(older);
    expect(await locationRows(object)).toEqual([...after, { location: "c", available: 1, version: 4, last_seq: 2 }]);
  });

  it("folds nothing from the events of an unlocated SKU", () => {
    const plain = { seq: 1, atMs: 1, body: { levels: { onHand: 1, reserved: 0, available: 1, sold: 0, received: 1 } } };
    expect(locationsAlong([plain])).toEqual([]);
    expect(foldLocations(env.DB, "x", [])).toEqual([]);
  });
});

describe("GET /v1/inventory/summary", () => {
  it("shows an unlocated SKU as its one default location, with no version and no lag once shipped", async () => {
    const sku = await createSku({ sku: unique("sum"), stock: 5 });
    expect((await hold(sku, "ann", 2)).status).toBe(201);
    await flushOutbox(sku);
    const res = await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: [{ sku, byLocation: { default: 3 }, total: 3, version: null, lagMs: 0 }], nextCursor: null });
    expect(Date.parse(res.body.data[0].asOf)).toBe((await inventoryRow(sku))!.updated_at_ms);
  });

  it("pages every SKU by sku with the one cursor codec, and refuses a foreign cursor", async () => {
    const p = unique("sumpage");
    const skus = [];
    for (let i = 0; i < 3; i++) skus.push(await createSku({ sku: `${p}-${i}`, stock: i + 1 }));
    for (const sku of skus) await flushOutbox(sku);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const res = await call(`/v1/inventory/summary?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { auth: ADMIN });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((s: { sku: string }) => s.sku));
      cursor = res.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.filter((s) => s.startsWith(p))).toEqual(skus);
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await call("/v1/inventory/summary?cursor=%24%24", { auth: ADMIN });
    expect(bad.status).toBe(400);
    expect((await call("/v1/inventory/summary?sku=nope-never", { auth: ADMIN })).status).toBe(404);
  });

  it("reports lagMs as how long the object's oldest unshipped event has waited", async () => {
    const sku = await createSku({ sku: unique("lag"), stock: 5 });
    await flushOutbox(sku);
    await parkShipper(sku);
    expect((await hold(sku, "bo", 1)).status).toBe(201);
    const [oldest] = await objectSql<{ at_ms: number }>(
      sku,
      "SELECT at_ms FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1) ORDER BY seq LIMIT 1",
    );
    const before = Date.now();
    const res = await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN });
    const lagMs = res.body.data[0].lagMs as number;
    expect(lagMs).toBeGreaterThanOrEqual(before - oldest!.at_ms);
    expect(lagMs).toBeLessThanOrEqual(Date.now() - oldest!.at_ms);
    // The view still shows the levels before the hold: it trails, and says by how long.
    expect(res.body.data[0].total).toBe(5);
    await unparkShipper(sku);
    await flushOutbox(sku);
    expect((await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN })).body.data[0]).toMatchObject({ total: 4, lagMs: 0 });
  });
});

describe("lagMs of a sharded SKU", () => {
  it("is its most behind object's: a shard whose events wait makes the SKU late", async () => {
    const sku = await createSku({ sku: unique("lagsh"), stock: 40 });
    await setShards(sku, 2);
    const [customer] = customersOnShard(1, 2, 1, "lagsh-");
    const shard = `${sku}#1`;
    expect((await hold(sku, customer!, 1)).status).toBe(201);
    for (const name of [sku, `${sku}#0`, shard]) await flushOutbox(name);
    // The SKU's own objects keep shipping what a sharded SKU does by itself (reports, alerts): only the shard is held back.
    await parkShipper(shard);
    expect((await hold(sku, customer!, 1)).status).toBe(201);
    // As if the shard's event had waited a minute: the SKU's own object has shipped everything.
    await objectSql(shard, "UPDATE outbox SET at_ms = at_ms - 60000 WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1)");
    const lagMs = (await call(`/v1/inventory/summary?sku=${sku}`, { auth: ADMIN })).body.data[0].lagMs as number;
    expect(lagMs).toBeGreaterThanOrEqual(60_000);
    await unparkShipper(shard);
    await flushOutbox(shard);
  });
});

describe("GET /v1/inventory?location=", () => {
  it("lists unlocated SKUs under default, and refuses a location id that is not one", async () => {
    const p = unique("loclist");
    const sku = await createSku({ sku: `${p}-a`, stock: 4 });
    await flushOutbox(sku);
    const res = await call(`/v1/inventory?location=default&limit=100`, { auth: ADMIN });
    expect(res.status).toBe(200);
    const mine = res.body.data.filter((i: { sku: string }) => i.sku === sku);
    expect(mine).toEqual([
      expect.objectContaining({
        sku,
        location: "default",
        onHand: 4,
        reserved: 0,
        available: 4,
        sold: 0,
        inTransit: 0,
        safetyStock: 0,
        version: null,
        lagMs: 0,
      }),
    ]);
    expect((await call(`/v1/inventory?location=WH-1`, { auth: ADMIN })).status).toBe(400);
    expect((await call(`/v1/inventory`, { auth: ADMIN })).status).toBe(400);
  });
});

describe("the reconciliation", () => {
  it("reports a corrupted, a deleted and a trailing inventory row exactly, repairs them from the objects, and audits each", async () => {
    const p = unique("rec");
    const corrupt = await createSku({ sku: `${p}-corrupt`, stock: 5 });
    const deleted = await createSku({ sku: `${p}-deleted`, stock: 6 });
    const late = await createSku({ sku: `${p}-late`, stock: 7 });
    for (const sku of [corrupt, deleted, late]) await flushOutbox(sku);
    await env.DB.prepare("UPDATE inventory SET available = 99, on_hand = 100 WHERE sku = ?").bind(corrupt).run();
    await env.DB.prepare("DELETE FROM inventory WHERE sku = ?").bind(deleted).run();
    await parkShipper(late);
    expect((await hold(late, "cy", 2)).status).toBe(201);

    const truth = { sold: 0, returned: 0, reserved: 0 };
    expect(await reconcile(corrupt)).toMatchObject({
      checked: 1,
      drifted: 1,
      repaired: 1,
      drifts: [
        {
          object: corrupt,
          location: null,
          kind: "changed",
          d1: { ...truth, onHand: 100, available: 99, received: 5 },
          truth: { ...truth, onHand: 5, available: 5, received: 5 },
          behind: 0,
        },
      ],
    });
    expect(await reconcile(deleted)).toMatchObject({
      checked: 1,
      drifted: 1,
      repaired: 1,
      drifts: [{ object: deleted, location: null, kind: "missing", d1: null, truth: { ...truth, onHand: 6, available: 6 } }],
    });
    expect(await reconcile(late)).toMatchObject({
      checked: 1,
      drifted: 1,
      repaired: 1,
      drifts: [{ object: late, kind: "changed", d1: { reserved: 0, available: 7 }, truth: { reserved: 2, available: 5 }, behind: 1 }],
    });
    for (const sku of [corrupt, deleted, late]) {
      expect(await inventoryRow(sku)).toMatchObject({ on_hand: (await levels(sku)).onHand, available: (await levels(sku)).available });
      expect(await reconcile(sku)).toMatchObject({ checked: 1, drifted: 0, repaired: 0, drifts: [] });
    }
    // The late events ship after the repair: they change nothing the repair did not already say.
    const repaired = await inventoryRow(late);
    await unparkShipper(late);
    await flushOutbox(late);
    expect(await inventoryRow(late)).toMatchObject({ available: 5, reserved: 2, last_seq: repaired!.last_seq });

    const audited = (await streamRows(INVENTORY_RECONCILIATION_STREAM))
      .filter((r) => r.type === "inventory.drift")
      .map((r) => JSON.parse(r.data));
    for (const sku of [corrupt, deleted, late]) expect(audited.some((d) => d.object === sku && d.drifts.length === 1)).toBe(true);
  });

  it("notifies inventory.drift for each drifted object, and names a lag past five minutes", async () => {
    const sku = await createSku({ sku: unique("recnote"), stock: 3 });
    await flushOutbox(sku);
    await env.DB.prepare("UPDATE inventory SET reserved = 1 WHERE sku = ?").bind(sku).run();
    const q = fakeQueue();
    const report = await reconcileInventory({ ...env, NOTIFICATIONS: q.queue }, Date.now(), { trigger: "owner", sku });
    expect(q.sent).toEqual([
      expect.objectContaining({
        id: `inventory-drift:${report.reconciliationId}:${sku}`,
        type: "inventory.drift",
        sku,
        data: { reason: "drift", count: 1, reconciliationId: report.reconciliationId },
      }),
    ]);

    // An event made six minutes ago that never shipped: the view trails by more than allowed.
    await parkShipper(sku);
    await runInDurableObject(skuStub(sku), (o: SkuObject, state) =>
      state.storage.transactionSync(() => o.ledger.tables.emit("test.noise", Date.now() - VIEW_LAG_MAX_MS - 60_000, {})),
    );
    const later = fakeQueue();
    const lagging = await reconcileInventory({ ...env, NOTIFICATIONS: later.queue }, Date.now(), { trigger: "owner", sku });
    expect(lagging).toMatchObject({ lagging: 1, drifted: 0 });
    expect(later.sent).toEqual([
      expect.objectContaining({ type: "inventory.drift", sku, data: expect.objectContaining({ reason: "lag", count: 1 }) }),
    ]);
    // The shipper, failing to reach D1, says the same once per stuck event.
    const shipperQueue = fakeQueue();
    await shipThrough(sku, { db: failingD1(), notifications: shipperQueue.queue, parkAlarm: true });
    expect(shipperQueue.sent).toEqual([
      expect.objectContaining({
        id: (later.sent[0] as { id: string }).id,
        type: "inventory.drift",
        data: expect.objectContaining({ reason: "lag" }),
      }),
    ]);
  });

  it("finds no drift where D1 is newer than its reading of the object (events shipped meanwhile)", async () => {
    const sku = await createSku({ sku: unique("recrace"), stock: 4 });
    await flushOutbox(sku);
    const reading = (await skuStub(sku).viewLevels())!;
    expect((await hold(sku, "dee", 1)).status).toBe(201);
    await flushOutbox(sku);
    expect(await compareObject(drizzle(env.DB), reading)).toEqual([]);
    expect(await compareObject(drizzle(env.DB), (await skuStub(sku).viewLevels())!)).toEqual([]);
  });

  it("takes an optional body with only an optional sku, and refuses anything else without running", async () => {
    const runs = async () => (await streamRows(INVENTORY_RECONCILIATION_STREAM)).filter((r) => r.type === "inventory.reconciled").length;
    const before = await runs();
    expectProblem(await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku: "not an id!" } }), 400, "invalid_request");
    expectProblem(await call("/v1/inventory/reconcile", { auth: ADMIN, body: { sku: "x", also: 1 } }), 400, "invalid_request");
    expect(await runs()).toBe(before);
    const bare = await call("/v1/inventory/reconcile", { method: "POST", auth: ADMIN });
    expect(bare.status).toBe(200);
    expect(bare.body).toMatchObject({
      trigger: "owner",
      checked: expect.any(Number),
      drifted: expect.any(Number),
      repaired: expect.any(Number),
    });
    expect(await runs()).toBe(before + 1);
  });

  it("goes on where the last run over every SKU stopped, whatever runs over one SKU came between", async () => {
    const p = unique("zz-recorder");
    const a = await createSku({ sku: `${p}-a`, stock: 1 });
    const b = await createSku({ sku: `${p}-b`, stock: 1 });
    for (const sku of [a, b]) await flushOutbox(sku);
    let next: string | null = null;
    for (let run = 0; run < 1_000 && next !== a; run++) {
      next = (await reconcileInventory(env, Date.now(), { trigger: "scheduled", objects_max: 1 })).next;
    }
    expect(next).toBe(a);
    await reconcile(a);
    expect((await reconcileInventory(env, Date.now(), { trigger: "scheduled", objects_max: 1 })).next).toBe(b);
  });

  it("walks every object in bounded runs, each going on where the last stopped, round and round", async () => {
    const p = unique("recwalk");
    const skus = [];
    for (let i = 0; i < 3; i++) skus.push(await createSku({ sku: `${p}-${i}`, stock: 2 }));
    for (const sku of skus) await flushOutbox(sku);
    for (const sku of skus) await env.DB.prepare("UPDATE inventory SET sold = 9 WHERE sku = ?").bind(sku).run();
    const repaired = new Set<string>();
    let wraps = 0;
    // Runs of two objects: from wherever the last run stopped, past the end once, then through every object.
    for (let run = 0; run < 1_000 && wraps < 2; run++) {
      const report = await reconcileInventory(env, Date.now(), { trigger: "scheduled", objects_max: 2 });
      expect(report.checked + report.unreachable).toBeLessThanOrEqual(2);
      for (const d of report.drifts) repaired.add(d.object);
      if (report.next === null) wraps += 1;
    }
    expect(skus.filter((s) => repaired.has(s))).toEqual(skus);
    for (const sku of skus) expect(await inventoryRow(sku)).toMatchObject({ sold: 0 });
  });
});
