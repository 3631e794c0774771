import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventHash, GENESIS_HASH } from "../../src/audit/chain";
import type { SkuObject } from "../../src/objects/sku-object";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, levels, restock, shopperToken, waitForStatus } from "../support/helpers";
import { objectSql, skuStub } from "../support/inside-objects";
import { failingD1, fakeQueue, flushOutbox, inventoryRow, shipThrough, streamRows, unshippedCount, type AuditRow } from "../support/outbox";
import { asRogue } from "../support/audit-tamper";

/** A SKU with a little history: created, restocked, held, released, adjusted down. Five events. */
async function skuWithHistory(): Promise<string> {
  const sku = await createSku({ stock: 5 });
  const h = (await hold(sku, "ann", 2)).body;
  expect((await call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "DELETE", auth: ADMIN })).status).toBe(200);
  await restock(sku, -1);
  await flushOutbox(sku);
  return sku;
}

const verify = async (stream?: string) => {
  const res = await call(`/v1/audit/verify${stream ? `?stream=${encodeURIComponent(stream)}` : ""}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

/** Runs `fn` with one row changed in D1, then puts the stream back exactly as it was. */
async function tampered<T>(stream: string, change: (rows: AuditRow[]) => Promise<unknown>, fn: () => Promise<T>): Promise<T> {
  const original = await streamRows(stream);
  await change(original);
  try {
    return await fn();
  } finally {
    await asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ?").bind(stream));
    await env.DB.batch(
      original.map((r) =>
        env.DB.prepare("INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(
          r.stream,
          r.seq,
          r.type,
          r.at_ms,
          r.data,
          r.prev_hash,
          r.hash,
        ),
      ),
    );
  }
}

const setRow = (stream: string, seq: number, r: Pick<AuditRow, "type" | "at_ms" | "data" | "prev_hash" | "hash">) =>
  asRogue(
    env.DB.prepare("UPDATE audit_events SET type = ?, at_ms = ?, data = ?, prev_hash = ?, hash = ? WHERE stream = ? AND seq = ?").bind(
      r.type,
      r.at_ms,
      r.data,
      r.prev_hash,
      r.hash,
      stream,
      seq,
    ),
  );

describe("shipping the SKU outbox to the audit log", () => {
  it("ships every state change as a dense, hash-chained sku stream, with the inventory view in step", async () => {
    const sku = await skuWithHistory();
    const rows = await streamRows(`sku:${sku}`);
    expect(rows.map((r) => [r.seq, r.type])).toEqual([
      [1, "sku.created"],
      [2, "stock.adjusted"],
      [3, "hold.created"],
      [4, "hold.released"],
      [5, "stock.adjusted"],
    ]);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      expect(eventHash(prev, { stream: r.stream, seq: r.seq, type: r.type, atMs: r.at_ms, data: r.data })).toBe(r.hash);
      prev = r.hash;
    }
    const inv = await inventoryRow(sku);
    const now = await levels(sku);
    expect(inv).toMatchObject({
      name: `Test ${sku}`,
      on_hand: now.onHand,
      reserved: now.reserved,
      available: now.available,
      sold: now.sold,
      received: now.received,
      last_seq: 5,
    });
    // The object's head follows the chain, and nothing is left behind.
    const [head] = await objectSql<{ seq: number; hash: string }>(sku, "SELECT seq, hash FROM audit_head");
    expect(head).toEqual({ seq: 5, hash: prev });
    expect(await unshippedCount(sku)).toBe(0);
  });

  it("reaches D1 within about a second without anyone running the alarm", async () => {
    const sku = await createSku({ stock: 3 });
    const started = Date.now();
    while ((await streamRows(`sku:${sku}`)).length < 2 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    expect((await streamRows(`sku:${sku}`)).length).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("finds the oldest unshipped event by a primary-key range, not a scan", async () => {
    const sku = await createSku({ stock: 1 });
    const plan = await objectSql<{ detail: string }>(
      sku,
      "EXPLAIN QUERY PLAN SELECT at_ms FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1) ORDER BY seq LIMIT 1",
    );
    const steps = plan.map((p) => p.detail).join(" | ");
    expect(steps).toMatch(/SEARCH outbox USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(steps).not.toMatch(/SCAN outbox/);
  });

  it("ships a backlog in bounded batches, re-arming at once while some remain", async () => {
    const sku = await createSku({ stock: 1 });
    await flushOutbox(sku);
    const afterRun = await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
      await state.storage.deleteAlarm();
      state.storage.transactionSync(() => {
        for (let i = 0; i < 450; i++) o.ledger.tables.emit("test.noise", Date.now(), { i });
      });
      await o.alarm();
      const left = state.storage.sql
        .exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE seq > (SELECT outbox_seq FROM audit_head WHERE id = 1)")
        .one().n;
      return { left, alarm: await state.storage.getAlarm(), now: Date.now() };
    });
    // 4 batches of 100 in one run; the run re-armed for the rest without waiting out the batching delay.
    expect(afterRun.left).toBe(50);
    expect(afterRun.alarm).not.toBeNull();
    expect(afterRun.alarm!).toBeLessThanOrEqual(afterRun.now);
    await flushOutbox(sku);
    const rows = await streamRows(`sku:${sku}`);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 452 }, (_, i) => i + 1));
    expect((await verify(`sku:${sku}`)).ok).toBe(true);
  });

  it("stores nothing twice when a crash makes the object ship its events again", async () => {
    const sku = await skuWithHistory();
    const before = await streamRows(`sku:${sku}`);
    const inv = await inventoryRow(sku);
    // Forget that anything was shipped, as if every mark had been lost.
    await runInDurableObject(skuStub(sku), async (_o: SkuObject, state) => {
      state.storage.sql.exec("UPDATE audit_head SET seq = 0, hash = ?, outbox_seq = 0, levels = NULL", GENESIS_HASH);
      await state.storage.setAlarm(Date.now());
    });
    expect(await unshippedCount(sku)).toBe(5);
    await flushOutbox(sku);
    expect(await streamRows(`sku:${sku}`)).toEqual(before);
    expect(await inventoryRow(sku)).toEqual(inv);
    // And the chain goes on where it was.
    await restock(sku, 2);
    await flushOutbox(sku);
    const after = await streamRows(`sku:${sku}`);
    expect(after.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(after[5]!.prev_hash).toBe(before[4]!.hash);
    expect((await inventoryRow(sku))?.last_seq).toBe(6);
  });

  it("keeps events unshipped while D1 fails, backs off, then ships them", async () => {
    const sku = await createSku({ stock: 2 });
    const { report, retryInMs } = await shipThrough(sku, { db: failingD1(), parkAlarm: true });
    expect(report).toMatchObject({ ok: false, shipped: 0, pending: true });
    expect(retryInMs).toBeGreaterThan(0);
    expect(await unshippedCount(sku)).toBe(2);
    expect(await streamRows(`sku:${sku}`)).toEqual([]);
    await flushOutbox(sku);
    expect((await streamRows(`sku:${sku}`)).map((r) => r.seq)).toEqual([1, 2]);
  });

  it("sends stock alerts after the D1 write, and a crash before the mark re-sends them without duplicating events", async () => {
    const sku = await createSku({ stock: 12 });
    await flushOutbox(sku);
    expect((await hold(sku, "bo", 3)).status).toBe(201); // 12 -> 9: low
    expect((await hold(sku, "cy", 9)).status).toBe(201); // 9 -> 0: sold out
    const stream = `sku:${sku}`;
    // The queue fails after D1 took the batch: the rows stay unshipped.
    const crashed = await shipThrough(sku, { notifications: fakeQueue({ fail: true }).queue, parkAlarm: true });
    expect(crashed.report.ok).toBe(false);
    expect((await streamRows(stream)).length).toBe(4);
    expect(await unshippedCount(sku)).toBe(2);

    const q = fakeQueue();
    const sent = { report: (await shipThrough(sku, { notifications: q.queue })).report, sent: q.sent };
    expect(sent.report).toMatchObject({ ok: true, shipped: 2, pending: false });
    expect(sent.sent).toEqual([
      {
        id: `${stream}:3:stock.low`,
        audience: "merchant",
        type: "stock.low",
        sku,
        data: { available: 9, onHand: 12, threshold: 10 },
        atMs: expect.any(Number),
      },
      {
        id: `${stream}:4:stock.sold_out`,
        audience: "merchant",
        type: "stock.sold_out",
        sku,
        data: { available: 0, onHand: 12 },
        atMs: expect.any(Number),
      },
    ]);
    expect((await streamRows(stream)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(await inventoryRow(sku)).toMatchObject({ available: 0, reserved: 12, last_seq: 4 });
    expect((await verify(stream)).ok).toBe(true);
  });

  it("alerts on low, sold out and back in stock from consecutive shipped levels, and on stocking at or below the threshold", async () => {
    const sku = await createSku();
    // Park the object's own shipper so each step below ships through a recording queue.
    await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
      o.shipper.retryNotBeforeMs = Date.now() + 3600_000;
      await state.storage.deleteAlarm();
    });
    const ship = async () => {
      const q = fakeQueue();
      await shipThrough(sku, { notifications: q.queue });
      return (q.sent as Array<{ id: string; type: string; data: { available: number } }>).map((n) => [
        n.id.split(":").slice(-2).join(":"),
        n.data.available,
      ]);
    };
    expect(await ship()).toEqual([]);
    await restock(sku, 3);
    // Stocked at or below the threshold, even the first stock (issue 10).
    expect(await ship()).toEqual([["2:stock.low", 3]]);
    const h = (await hold(sku, "di", 3)).body;
    expect(await ship()).toEqual([["3:stock.sold_out", 0]]);
    await call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "DELETE", auth: ADMIN });
    expect(await ship()).toEqual([["4:stock.back_in_stock", 3]]);
    await restock(sku, 20);
    await hold(sku, "di", 5); // 23 -> 18
    await hold(sku, "ed", 9); // 18 -> 9
    expect(await ship()).toEqual([["7:stock.low", 9]]);
    await flushOutbox(sku);
  });

  it("prunes shipped rows after an hour, never unshipped ones, and the chain goes on", async () => {
    const sku = await skuWithHistory();
    await objectSql(sku, "UPDATE outbox SET at_ms = ? WHERE seq <= 4", Date.now() - 2 * 3600_000);
    await restock(sku, 1);
    await runDurableObjectAlarm(skuStub(sku));
    await flushOutbox(sku);
    const left = await objectSql<{ type: string }>(sku, "SELECT type FROM outbox ORDER BY seq");
    expect(left.map((r) => r.type)).toEqual(["stock.adjusted", "stock.adjusted"]);
    expect((await streamRows(`sku:${sku}`)).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe("GET /v1/audit", () => {
  it("lists one stream in seq order, page by page", async () => {
    const sku = await skuWithHistory();
    const stream = `sku:${sku}`;
    const seen: Array<{ seq: number; type: string; hash: string }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const q: string = `?stream=${encodeURIComponent(stream)}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call(`/v1/audit${q}`, { auth: ADMIN });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const rows = await streamRows(stream);
    expect(seen.map((e) => e.hash)).toEqual(rows.map((r) => r.hash));
    expect(seen[1]).toMatchObject({ stream, type: "stock.adjusted", data: { delta: 5, reason: "restock", levels: { onHand: 5 } } });
  });

  it("lists every stream by time, each event once across pages", async () => {
    const a = await skuWithHistory();
    const b = await skuWithHistory();
    // Objects of earlier tests in this file may still ship events (their alarms run on their own) while the pages are read.
    const stored = async () => (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events").first<{ n: number }>())!.n;
    const before = await stored();
    const seen: Array<{ stream: string; seq: number; at: string }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 500; page++) {
      const res = await call(`/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ""}`, { auth: ADMIN });
      expect(res.status).toBe(200);
      seen.push(...res.body.data);
      cursor = res.body.nextCursor;
      if (cursor === null) break;
    }
    const keys = seen.map((e) => `${e.stream}#${e.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Every event stored before the first page is seen; one shipped meanwhile may be too, or may sort behind the cursor.
    expect(seen.length).toBeGreaterThanOrEqual(before);
    expect(seen.length).toBeLessThanOrEqual(await stored());
    for (let i = 1; i < seen.length; i++) expect(Date.parse(seen[i]!.at)).toBeGreaterThanOrEqual(Date.parse(seen[i - 1]!.at));
    for (const sku of [a, b]) expect(seen.filter((e) => e.stream === `sku:${sku}`).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("is for the merchant only and refuses foreign cursors", async () => {
    expectProblem(await call("/v1/audit"), 401, "unauthorized");
    expectProblem(await call("/v1/audit", { auth: await shopperToken("eve") }), 403, "forbidden");
    expectProblem(await call("/v1/audit/verify", { auth: await shopperToken("eve") }), 403, "forbidden");
    expectProblem(await call("/v1/audit?cursor=not-a-cursor", { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call("/v1/audit?limit=0", { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call("/v1/audit?stream=", { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call("/v1/audit/verify?cursor=AAAA", { auth: ADMIN }), 400, "invalid_request");
    // A stream cursor does not continue the time listing, nor another stream.
    const sku = await skuWithHistory();
    const page = await call(`/v1/audit?stream=sku:${sku}&limit=1`, { auth: ADMIN });
    expectProblem(await call(`/v1/audit?cursor=${page.body.nextCursor}`, { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call(`/v1/audit?stream=sku:other&cursor=${page.body.nextCursor}`, { auth: ADMIN }), 400, "invalid_request");
  });
});

describe("GET /v1/audit/verify", () => {
  it("finds every chain intact", async () => {
    const sku = await skuWithHistory();
    const all = await verify();
    expect(all).toMatchObject({ ok: true, complete: true });
    expect(all.firstBadEvent).toBeUndefined();
    expect(all.streams).toBeGreaterThanOrEqual(1);
    expect(await verify(`sku:${sku}`)).toEqual({ ok: true, streams: 1, events: 5, complete: true });
  });

  it("detects a changed event at its seq", async () => {
    const stream = `sku:${await skuWithHistory()}`;
    const bad = await tampered(
      stream,
      (rows) => setRow(stream, 3, { ...rows[2]!, data: rows[2]!.data.replace('"quantity":2', '"quantity":1') }),
      () => verify(stream),
    );
    expect(bad).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 3 } });
    expect(bad.firstBadEvent.reason).toMatch(/hash/);
    // The same change through the unfiltered walk, and a changed time or type.
    expect(
      (
        await tampered(
          stream,
          (rows) => setRow(stream, 4, { ...rows[3]!, at_ms: rows[3]!.at_ms + 1 }),
          () => verify(),
        )
      ).firstBadEvent,
    ).toMatchObject({ stream, seq: 4 });
    expect(
      (
        await tampered(
          stream,
          (rows) => setRow(stream, 2, { ...rows[1]!, type: "stock.gift" }),
          () => verify(stream),
        )
      ).firstBadEvent,
    ).toMatchObject({ seq: 2 });
    expect(
      (
        await tampered(
          stream,
          (rows) => setRow(stream, 5, { ...rows[4]!, data: "{not json" }),
          () => verify(stream),
        )
      ).firstBadEvent,
    ).toMatchObject({ seq: 5 });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("detects a removed event at its seq, including the first and the last", async () => {
    const stream = `sku:${await skuWithHistory()}`;
    const remove = (seq: number) => () =>
      asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND seq = ?").bind(stream, seq));
    for (const seq of [1, 3, 5]) {
      const res = await tampered(stream, remove(seq), () => verify(stream));
      expect(res, `removing ${seq}`).toMatchObject({ ok: false, firstBadEvent: { stream, seq } });
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  it("detects a removed tail of an order's stream, which its version says was written", async () => {
    const sku = await createSku({ stock: 2 });
    const h = (await hold(sku, "tail", 1)).body;
    const placed = await checkoutAs("tail", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    const paid = await waitForStatus(placed.body.orderId, "paid");
    const stream = `order:${paid.orderId}`;
    const rows = await streamRows(stream);
    expect(rows.map((r) => r.type)).toEqual(["order.created", "order.paid"]);
    expect(await verify(stream)).toMatchObject({ ok: true, events: 2 });
    const dropLast = () => asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND seq = 2").bind(stream));
    expect(await tampered(stream, dropLast, () => verify(stream))).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 2 } });
    expect(await verify(stream)).toMatchObject({ ok: true });
  });

  it("detects reordered events at the first one moved", async () => {
    const stream = `sku:${await skuWithHistory()}`;
    // Whole rows swapped (hashes included), then only their contents.
    const swapWhole = (rows: AuditRow[]) => Promise.all([setRow(stream, 2, rows[2]!), setRow(stream, 3, rows[1]!)]);
    const swapContents = (rows: AuditRow[]) =>
      Promise.all([
        setRow(stream, 3, { ...rows[2]!, data: rows[3]!.data, type: rows[3]!.type }),
        setRow(stream, 4, { ...rows[3]!, data: rows[2]!.data, type: rows[2]!.type }),
      ]);
    expect((await tampered(stream, swapWhole, () => verify(stream))).firstBadEvent).toMatchObject({ stream, seq: 2 });
    expect((await tampered(stream, swapContents, () => verify(stream))).firstBadEvent).toMatchObject({ stream, seq: 3 });
    expect(await verify()).toMatchObject({ ok: true });
  });
});
