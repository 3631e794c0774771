import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { objectName, placeOfHold, shardOf } from "../../../src/stock/addressing";
import type { SkuObject } from "../../../src/objects/sku-object";
import { objectSql } from "../../support/inside-objects";
import { fakeQueue, flushOutbox } from "../../support/outbox";
import { OutboxShipper } from "../../../src/stock/outbox";
import { judgeWhole } from "../../../src/stock/whole-alerts";
import {
  ADMIN,
  call,
  checkoutAs,
  createSku,
  expectProblem,
  hold,
  levels,
  putSale,
  restock,
  unique,
  waitForStatus,
} from "../../support/helpers";
import { customersOnShard, escrowStats, expectWholeAudited, setShards } from "../../support/shards";

/**
 * Stock shards (spec §8): a hot SKU's stock split across objects on
 * the escrow model. Zero oversell across shards, no false sold-out, holds
 * routed by their ids, and the invariants across every object audited.
 */

/**
 * A one-unit hold as a client makes it: a `503 unavailable` (a shard's refills
 * kept losing to concurrent holds near the end of the stock) says to retry
 * after its Retry-After, and changed nothing; the client does, a few times.
 */
async function holdAsClient(sku: string, customerId: string) {
  for (let attempt = 1; ; attempt++) {
    const answer = await hold(sku, customerId, 1);
    if (answer.status !== 503 || attempt === 3) return answer;
    await scheduler.wait(Number(answer.headers.get("retry-after")) * 1000);
  }
}

describe("stock shards", () => {
  it("grants exactly the stock to thousands of concurrent holds from distinct customers on 8 shards", { timeout: 120_000 }, async () => {
    const sku = await createSku({ stock: 300 });
    await setShards(sku, 8);
    // 2,000 holds, 100 in flight at a time: one local runtime thread serves every object here,
    // so a single burst of 2,000 would only measure its queue (and trip the 5 s call bound).
    const answers: Array<Awaited<ReturnType<typeof hold>>> = [];
    for (let wave = 0; wave < 20; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 100 }, (_, i) => holdAsClient(sku, `stampede-${wave * 100 + i}`)))));
    }
    const granted = answers.filter((a) => a.status === 201);
    expect(granted).toHaveLength(300);
    const refusals = new Map<string, number>();
    for (const r of answers.filter((a) => a.status !== 201))
      refusals.set(`${r.status} ${r.body.detail}`, (refusals.get(`${r.status} ${r.body.detail}`) ?? 0) + 1);
    // The only refusal a single unit can meet once 300 are held is that the SKU is sold out.
    expect(Object.fromEntries(refusals)).toEqual({ "409 Every unit is sold or held.": 1_700 });
    // Each grant names a shard, and the shards the customers hash to served them.
    const shardsUsed = new Set(granted.map((g) => placeOfHold(g.body.holdId)?.shard));
    expect(shardsUsed.size).toBeGreaterThan(1);
    for (const g of granted) expect(placeOfHold(g.body.holdId)?.shard).toBe(shardOf(g.body.customerId, 8));
    const stats = await expectWholeAudited(sku);
    expect(stats.levels).toMatchObject({ onHand: 300, reserved: 300, available: 0 });
    expect((await call(`/v1/skus/${sku}`)).body.status).toBe("sold_out");
  });

  it("never answers sold_out while units remain elsewhere: one hot shard takes every unit", async () => {
    const sku = await createSku({ stock: 8 });
    await setShards(sku, 8);
    const crowd = customersOnShard(3, 8, 9, "uneven-");
    for (const customer of crowd.slice(0, 8)) {
      const res = await hold(sku, customer, 1);
      expect(res.status, `${customer}: ${JSON.stringify(res.body)}`).toBe(201);
    }
    expectProblem(await hold(sku, crowd[8]!, 1), 409, "sold_out");
    await expectWholeAudited(sku);
  });

  it("recalls units a quiet shard holds when another runs dry", async () => {
    const sku = await createSku({ stock: 40 });
    await setShards(sku, 4);
    // Customers on two shards take turns, so both shards hold allotments, then one side drains the rest.
    const [a, b] = [customersOnShard(0, 4, 40, "a-"), customersOnShard(1, 4, 40, "b-")];
    expect((await hold(sku, a[0]!, 1)).status).toBe(201);
    expect((await hold(sku, b[0]!, 1)).status).toBe(201);
    let granted = 2;
    for (const customer of a.slice(1)) if ((await hold(sku, customer, 1)).status === 201) granted += 1;
    expect(granted).toBe(40);
    await expectWholeAudited(sku);
  });

  it("routes get, release, checkout, payment, refund and return by the hold id's shard", async () => {
    const sku = await createSku({ stock: 20 });
    await setShards(sku, 4);
    const h = await hold(sku, "router", 2);
    expect(h.status).toBe(201);
    expect(h.body.holdId).toMatch(new RegExp(`^hold_[0-9a-f]{24}-${shardOf("router", 4)}_${sku}$`));
    const auth = { auth: ADMIN };
    expect((await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, auth)).body.status).toBe("held");
    const order = await checkoutAs(
      "router",
      { holdIds: [h.body.holdId], paymentMethod: "pm_card_visa" },
      { "Idempotency-Key": unique("k") },
    );
    expect(order.status).toBe(202);
    await waitForStatus(order.body.orderId, "paid");
    expect(await levels(sku)).toMatchObject({ sold: 2, reserved: 0, onHand: 18, received: 20 });
    const refunded = await call(`/v1/orders/${order.body.orderId}/refund`, { auth: ADMIN, body: { restock: true } });
    expect(refunded.body).toMatchObject({ status: "refunded", refund: { restocked: true } });
    expect(await levels(sku)).toMatchObject({ sold: 0, onHand: 20, received: 20, available: 20 });

    const other = await hold(sku, "router", 1);
    const released = await call(`/v1/skus/${sku}/holds/${other.body.holdId}`, { method: "DELETE", auth: ADMIN });
    expect(released.body.status).toBe("released");
    await expectWholeAudited(sku);
  });

  it("takes restocks into the pool and recalls allotments before a shrinkage larger than the pool", async () => {
    const sku = await createSku({ stock: 100 });
    await setShards(sku, 4);
    for (let i = 0; i < 12; i++) expect((await hold(sku, `shrink-${i}`, 1)).status).toBe(201);
    await restock(sku, 10);
    expect(await levels(sku)).toMatchObject({ onHand: 110, reserved: 12, available: 98 });
    const shrink = await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: -98, reason: "damaged" } });
    expect(shrink.status).toBe(200);
    expect(shrink.body.levels).toMatchObject({ onHand: 12, reserved: 12, available: 0 });
    const tooMuch = await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: -1, reason: "damaged" } });
    expectProblem(tooMuch, 409, "insufficient_stock");
    await expectWholeAudited(sku);
  });

  it("answers a keyed retry that crosses a change of the shard count from its stored hold, though its new shard's sold-out verdict is cached at the edge", async () => {
    const sku = await createSku({ stock: 4 });
    await setShards(sku, 2);
    // A customer whose home moves when the SKU goes from 2 shards to 4.
    const mover = Array.from({ length: 200 }, (_, i) => `mover-${i}`).find((c) => shardOf(c, 2) !== shardOf(c, 4))!;
    const key = unique("k");
    const first = await hold(sku, mover, 1, { "Idempotency-Key": key });
    expect(first.status).toBe(201);
    await setShards(sku, 4);
    // Neighbours on the mover's new shard take the rest; the next is refused there, and then at the edge.
    const neighbours = customersOnShard(shardOf(mover, 4), 4, 6, "nb-");
    for (const n of neighbours.slice(0, 3)) expect((await hold(sku, n, 1)).status).toBe(201);
    expectProblem(await hold(sku, neighbours[3]!, 1), 409, "sold_out");
    const cut = await hold(sku, neighbours[4]!, 1, { "Idempotency-Key": unique("k") });
    expectProblem(cut, 409, "sold_out");
    expect(cut.headers.get("holdfast-cache")).toBe("hit");
    // The mover's retry gets the hold its old shard made, not the new shard's sold_out.
    const retry = await hold(sku, mover, 1, { "Idempotency-Key": key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.holdId).toBe(first.body.holdId);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    await expectWholeAudited(sku);
  });

  it("changes the shard count during a live sale without losing, duplicating or stranding a unit or a hold", async () => {
    const sku = await createSku({ stock: 60 });
    await setShards(sku, 4);
    const early = await Promise.all(Array.from({ length: 20 }, (_, i) => hold(sku, `re-${i}`, 1)));
    expect(early.every((r) => r.status === 201)).toBe(true);
    await setShards(sku, 2);
    await expectWholeAudited(sku);
    // Holds made on a shard that is now draining still release where they live.
    for (const h of early.slice(0, 10)) {
      expect((await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { method: "DELETE", auth: ADMIN })).body.status).toBe("released");
    }
    await setShards(sku, 6);
    const late = await Promise.all(Array.from({ length: 60 }, (_, i) => hold(sku, `late-${i}`, 1)));
    expect(late.filter((r) => r.status === 201)).toHaveLength(50);
    await setShards(sku, 1);
    const stats = await expectWholeAudited(sku);
    expect(stats.levels).toMatchObject({ onHand: 60, reserved: 60, available: 0, received: 60 });
  });

  it("finishes a transfer whose receiver never heard of it: the sender's alarm delivers it once", async () => {
    const sku = await createSku({ stock: 30 });
    await setShards(sku, 2);
    const pool = env.SKU.getByName(sku);
    // The pool debits for shard 1, then "crashes" before the shard credits: the units are in flight.
    const sent = await pool.grant(1, 5);
    expect(sent).toMatchObject({ peer: 1 });
    if (sent === null || sent === "later") throw new Error("the pool sent nothing");
    const inFlight = await escrowStats(sku);
    expect(inFlight.escrow).toMatchObject({ inFlight: sent.units, audit: { ok: true } });
    expect(inFlight.levels).toMatchObject({ onHand: 30, available: 30 });

    await runInDurableObject(pool, (_o, state) => {
      state.storage.sql.exec("UPDATE transfers SET created_at_ms = created_at_ms - 10000 WHERE transfer_id = ?", sent.transferId);
    });
    await runDurableObjectAlarm(pool);
    await runDurableObjectAlarm(pool);
    const [status] = await runInDurableObject(pool, (_o, state) =>
      state.storage.sql.exec<{ status: string }>("SELECT status FROM transfers WHERE transfer_id = ?", sent.transferId).toArray(),
    );
    expect(status?.status).toBe("posted");
    // Delivered twice (two alarm runs, a retried receive), credited once.
    await env.SKU.getByName(`${sku}#1`).receiveTransfer({ transferId: sent.transferId, peer: -1, units: sent.units });
    const after = await expectWholeAudited(sku);
    expect(after.escrow.inFlight).toBe(0);
    expect(after.levels).toMatchObject({ onHand: 30, available: 30, received: 30 });
  });

  it("going back to one shard, the SKU's own object serves every hold and takes back what old shards free", async () => {
    const sku = await createSku({ stock: 4 });
    await setShards(sku, 2);
    const first = await hold(sku, "a", 1);
    expect(placeOfHold(first.body.holdId)?.shard).toBe(shardOf("a", 2));
    await setShards(sku, 1);
    // A stale isolate that still sends a customer to shard 0 is redirected, not served there.
    expect(await env.SKU.getByName(`${sku}#0`).reserve({ customerId: "x", quantity: 1 }, null)).toMatchObject({
      ok: false,
      code: "unavailable",
      extra: { shards: 1 },
    });
    expect((await call(`/v1/skus/${sku}/holds/${first.body.holdId}`, { method: "DELETE", auth: ADMIN })).body.status).toBe("released");
    for (const who of ["b", "c", "d", "e"]) {
      const res = await hold(sku, who, 1);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(placeOfHold(res.body.holdId)?.shard).toBeNull();
    }
    expectProblem(await hold(sku, "f", 1), 409, "sold_out");
    await expectWholeAudited(sku);
  });

  it("keeps a customer's limit exact when the shard count changes and they move shards", async () => {
    const sku = await createSku({ stock: 20, alwaysOn: false });
    await putSale(unique("limited"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 2 }]);
    await setShards(sku, 4);
    const mover = Array.from({ length: 200 }, (_, i) => `mover-${i}`).find((c) => shardOf(c, 4) !== shardOf(c, 2))!;
    expect((await hold(sku, mover, 2)).status).toBe(201);
    expectProblem(await hold(sku, mover, 1), 409, "limit_exceeded");
    await setShards(sku, 2);
    const moved = await hold(sku, mover, 1);
    expectProblem(moved, 409, "limit_exceeded");
    expect(moved.body.remaining).toBe(0);
    await setShards(sku, 1);
    expectProblem(await hold(sku, mover, 1), 409, "limit_exceeded");
  });

  it("answers a keyed retry that crosses a change of the shard count with the hold it made, not a second one", async () => {
    const sku = await createSku({ stock: 10 });
    const mover = Array.from({ length: 200 }, (_, i) => `retrier-${i}`).find((c) => shardOf(c, 4) !== shardOf(c, 2))!;
    const key = { "idempotency-key": unique("hold-key") };
    await setShards(sku, 2);
    const first = await hold(sku, mover, 3, key);
    expect(first.status).toBe(201);
    // The count changes while the client waits for its answer; the retry lands on another shard.
    await setShards(sku, 4);
    const retry = await hold(sku, mover, 3, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body.holdId).toBe(first.body.holdId);
    expect((await expectWholeAudited(sku)).levels).toMatchObject({ reserved: 3, available: 7 });
    // The same key with another body is still refused, wherever it lands.
    expectProblem(await hold(sku, mover, 1, key), 422, "idempotency_key_reused");
  });

  it("ships a shard's events after a delay that grows with the shard count, so a SKU's batches to D1 stay as few", async () => {
    const sku = await createSku({ stock: 40 });
    await setShards(sku, 8);
    const held = await hold(sku, "shipping-delay", 1);
    expect(held.status).toBe(201);
    const shard = placeOfHold(held.body.holdId)!.shard!;
    // A shard sees about an eighth of the SKU's events, so it waits eight times the base 500 ms, at most 4 s.
    const waits = await runInDurableObject(env.SKU.getByName(objectName(sku, shard)), async (o: SkuObject, state) => {
      const earliest = o.ledger.tables.earliestUnshippedAtMs();
      const alarm = await state.storage.getAlarm();
      // A full batch (100 events) does not wait: the next deadline is already due.
      state.storage.transactionSync(() => {
        for (let i = 0; i < 100; i++) o.ledger.tables.emit("test.noise", Date.now(), { i });
      });
      return { earliest, alarm, fullBatchDue: o.ledger.nextDeadlineMs(0, 4_000) };
    });
    expect(waits.earliest).not.toBeNull();
    expect(waits.alarm! - waits.earliest!).toBe(4_000);
    expect(waits.fullBatchDue).toBe(waits.earliest);
    await expectWholeAudited(sku);
  });

  it("raises the whole SKU's stock alerts from its own object: low, sold out, back in stock, each once", { timeout: 60_000 }, async () => {
    const sku = await createSku({ stock: 12 });
    await setShards(sku, 4);
    const judged = async (count: number) => {
      let rows: Array<{ alert: string; available: number }> = [];
      await vi.waitFor(
        async () => {
          const events = await objectSql<{ data: string }>(sku, "SELECT data FROM outbox WHERE type = 'stock.alert' ORDER BY seq");
          rows = events
            .map((e) => JSON.parse(e.data) as { alert: string; whole: { available: number } })
            .map((d) => ({ alert: d.alert, available: d.whole.available }));
          expect(rows.length).toBeGreaterThanOrEqual(count);
        },
        { timeout: 10_000, interval: 100 },
      );
      return rows;
    };
    // Customers on different shards: no one object sees the SKU fall to the threshold of 10.
    const a = customersOnShard(0, 4, 1, "alerts-a-")[0]!;
    const b = customersOnShard(1, 4, 1, "alerts-b-")[0]!;
    const c = customersOnShard(2, 4, 1, "alerts-c-")[0]!;
    expect((await hold(sku, a, 1)).status).toBe(201);
    expect((await hold(sku, b, 1)).status).toBe(201);
    expect(await judged(1)).toEqual([{ alert: "stock.low", available: 10 }]);
    const last = await hold(sku, c, 10);
    expect(last.status).toBe(201);
    expect(await judged(2)).toEqual([
      { alert: "stock.low", available: 10 },
      { alert: "stock.sold_out", available: 0 },
    ]);
    expect((await call(`/v1/skus/${sku}/holds/${last.body.holdId}`, { method: "DELETE", auth: ADMIN })).body.status).toBe("released");
    const all = await judged(3);
    expect(all).toEqual([
      { alert: "stock.low", available: 10 },
      { alert: "stock.sold_out", available: 0 },
      { alert: "stock.back_in_stock", available: 10 },
    ]);
    // Each alert is an event of the pool's own stream, shipped once; no shard raises its own.
    await flushOutbox(sku);
    for (let i = 0; i < 4; i++) await flushOutbox(objectName(sku, i));
    const shipped = await env.DB.prepare("SELECT stream, data FROM audit_events WHERE type = 'stock.alert' AND stream LIKE ? ORDER BY seq")
      .bind(`sku:${sku}%`)
      .all<{ stream: string; data: string }>();
    expect(shipped.results.map((r) => [r.stream, (JSON.parse(r.data) as { alert: string }).alert])).toEqual([
      [`sku:${sku}`, "stock.low"],
      [`sku:${sku}`, "stock.sold_out"],
      [`sku:${sku}`, "stock.back_in_stock"],
    ]);
    // The pool's shipper hands a judged alert to the merchant's queue with the event's stable id.
    const sent = await runInDurableObject(env.SKU.getByName(sku), async (o: SkuObject, state) => {
      await state.storage.deleteAlarm();
      const whole = { onHand: 12, reserved: 12, available: 0, sold: 0, received: 12, returned: 0 };
      expect(judgeWhole(o.ledger.tables, whole, false, 10, Date.now()).map((a) => a.type)).toEqual(["stock.sold_out"]);
      const q = fakeQueue();
      await new OutboxShipper(state.storage, o.ledger.tables, {
        db: env.DB,
        notifications: q.queue,
        lowStockThreshold: 10,
        log: o.log,
      }).drain();
      return q.sent as Array<{ id: string; type: string; sku: string; data: { available: number } }>;
    });
    expect(sent).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^sku:${sku}:\\d+:stock\\.sold_out$`)),
        audience: "merchant",
        type: "stock.sold_out",
        sku,
        data: { available: 0, onHand: 12 },
        atMs: expect.any(Number),
      },
    ]);
    await flushOutbox(sku);
    await expectWholeAudited(sku);
  });

  it("raises no alert for a sharded SKU's first restock, as for an unsharded one, and low once it falls to the threshold", {
    timeout: 30_000,
  }, async () => {
    const sku = await createSku();
    await setShards(sku, 4);
    await restock(sku, 11);
    const alerts = async () =>
      (await objectSql<{ data: string }>(sku, "SELECT data FROM outbox WHERE type = 'stock.alert' ORDER BY seq")).map(
        (e) => (JSON.parse(e.data) as { alert: string }).alert,
      );
    expect((await hold(sku, customersOnShard(2, 4, 1, "first-stock-")[0]!, 1)).status).toBe(201);
    await vi.waitFor(async () => expect(await alerts()).toEqual(["stock.low"]), { timeout: 10_000, interval: 100 });
  });

  it("keeps an unsharded SKU on its one object: no transfers, no pool calls", async () => {
    const sku = await createSku({ stock: 5 });
    expect((await hold(sku, "solo", 1)).body.holdId).toMatch(new RegExp(`^hold_[0-9a-f]{24}_${sku}$`));
    const stats = await escrowStats(sku);
    expect(stats.escrow).toMatchObject({ shards: 1, inFlight: 0, poolCalls: 0, audit: { ok: true } });
  });
});
