import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";
import { ADMIN, call, createSku, hold, levels, putSale, unique } from "../support/helpers";
import { alarmOf, backdateHold, holdStatus, objectSql } from "../support/inside-objects";
import { flushOutbox } from "../support/outbox";

describe("hold expiry from the alarm", () => {
  it("arms the alarm at the hold's deadline and expires it when the alarm runs", async () => {
    const sku = await createSku({ stock: 5 });
    const h = (await hold(sku, "ann", 2)).body;
    // Once the outbox has shipped (within ~500 ms), the hold's deadline is the only work left.
    await flushOutbox(sku);
    expect(await alarmOf(sku)).toBe(Date.parse(h.expiresAt));

    await backdateHold(sku, h.holdId);
    expect(await runDurableObjectAlarm(env.SKU.getByName(sku))).toBe(true);

    expect(await holdStatus(sku, h.holdId)).toBe("expired");
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 5 });
    const counters = await env.SKU.getByName(sku).counters();
    expect(counters).toMatchObject({ holds_created: 1, holds_expired: 1 });
    // What is left is retiring the ended hold once the retention (7 days by default) has passed.
    const retireAt = (await alarmOf(sku))!;
    expect(retireAt).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(retireAt).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);
  });

  it("re-arms at the next deadline after an early alarm finds nothing due", async () => {
    const sku = await createSku({ stock: 5 });
    const first = (await hold(sku, "bea", 1)).body;
    await flushOutbox(sku);
    expect(await alarmOf(sku)).toBe(Date.parse(first.expiresAt));
    await call(`/v1/skus/${sku}/holds/${first.holdId}`, { method: "DELETE", auth: ADMIN });
    const second = (await hold(sku, "bea", 1)).body;
    // New events pull the alarm in to ship them shortly; it fires early for the holds and re-arms.
    expect(await alarmOf(sku)).toBeLessThan(Date.parse(first.expiresAt));

    expect(await runDurableObjectAlarm(env.SKU.getByName(sku))).toBe(true);
    expect(await holdStatus(sku, second.holdId)).toBe("held");
    expect(await alarmOf(sku)).toBe(Date.parse(second.expiresAt));
  });

  it("expires a real one-second hold by itself, without any request touching it", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    expect(
      (await putSale(unique("blink"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 3, holdSeconds: 1 }])).status,
    ).toBe(201);
    const h = (await hold(sku, "cal", 1)).body;
    expect(Date.parse(h.expiresAt) - Date.parse(h.createdAt)).toBe(1_000);

    const deadline = Date.now() + 5_000;
    while ((await holdStatus(sku, h.holdId)) === "held" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await holdStatus(sku, h.holdId)).toBe("expired");
    const [{ ended_at_ms }] = (await objectSql<{ ended_at_ms: number }>(
      sku,
      "SELECT ended_at_ms FROM holds WHERE hold_id = ?",
      h.holdId,
    )) as [{ ended_at_ms: number }];
    // Exact to within a second or two of expiresAt (spec §3).
    expect(ended_at_ms - Date.parse(h.expiresAt)).toBeLessThan(2_000);
    expect(ended_at_ms).toBeGreaterThanOrEqual(Date.parse(h.expiresAt));
  });

  it("settles deadlines missed while the object was away when it starts again", async () => {
    const sku = await createSku({ stock: 4 });
    const h = (await hold(sku, "dee", 3)).body;
    await backdateHold(sku, h.holdId);
    // Lose the alarm too, as if the object had been evicted before it fired.
    await runInDurableObject(env.SKU.getByName(sku), (_o: SkuObject, state) => state.storage.deleteAlarm());
    await evictDurableObject(env.SKU.getByName(sku));

    // The constructor runs before this callback and must already have expired the hold.
    expect(await holdStatus(sku, h.holdId)).toBe("expired");
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 4 });
  });

  it("counts a hold past its deadline as expired on read, before the alarm runs", async () => {
    const sku = await createSku({ stock: 2 });
    const h = (await hold(sku, "eve", 2)).body;
    await backdateHold(sku, h.holdId);

    const read = await call(`/v1/skus/${sku}/holds/${h.holdId}`, { auth: ADMIN });
    expect(read.body.status).toBe("expired");
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 2 });
    // A new shopper gets the units back at once.
    expect((await hold(sku, "fay", 2)).status).toBe(201);
  });

  it("expires a backlog larger than one transaction's batch in a single alarm run", async () => {
    const sku = await createSku({ stock: 200 });
    const made = await Promise.all(Array.from({ length: 150 }, (_, i) => hold(sku, `bulk-${i}`, 1)));
    expect(made.every((r) => r.status === 201)).toBe(true);
    // Ship first, so the shipping alarm cannot fire between the backdate and the run below.
    await flushOutbox(sku);
    for (const r of made) await backdateHold(sku, r.body.holdId);

    expect(await runDurableObjectAlarm(env.SKU.getByName(sku))).toBe(true);
    const [{ n }] = (await objectSql<{ n: number }>(sku, "SELECT COUNT(*) AS n FROM holds WHERE status = 'expired'")) as [{ n: number }];
    expect(n).toBe(150);
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 200 });
  });

  it("prunes idempotency replies after 24 hours", async () => {
    const sku = await createSku({ stock: 1 });
    const restock = () =>
      call(`/v1/skus/${sku}/adjustments`, {
        auth: ADMIN,
        body: { delta: 5, reason: "restock" },
        headers: { "Idempotency-Key": "prune-me" },
      });
    expect((await restock()).status).toBe(200);
    expect((await restock()).headers.get("Idempotent-Replayed")).toBe("true");
    expect(await levels(sku)).toMatchObject({ onHand: 6 });

    await objectSql(sku, "UPDATE idempotency SET created_at_ms = ?", Date.now() - 24 * 3600_000 - 1);
    expect(await runDurableObjectAlarm(env.SKU.getByName(sku))).toBe(true);
    expect(await objectSql(sku, "SELECT key FROM idempotency")).toEqual([]);

    // The key is free again: the same request now restocks anew.
    const again = await restock();
    expect(again.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await levels(sku)).toMatchObject({ onHand: 11 });
  });
});
