import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventHash } from "../../src/audit/chain";
import { ADMIN, call, checkoutAs, createSku, hold, restock, waitForStatus } from "../support/helpers";
import { asRogue } from "../support/audit-tamper";
import { flushOutbox, streamRows, type AuditRow } from "../support/outbox";

/**
 * Issue 25: a rogue writer of D1 (an operator, a leaked token, a bad
 * migration) rewrites a stream consistently, with the documented formula, so
 * the chain in D1 alone still verifies. The heads kept outside D1 catch it.
 */

const verify = async (stream?: string) => {
  const res = await call(`/v1/audit/verify${stream ? `?stream=${encodeURIComponent(stream)}` : ""}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

/** Replaces a stream's rows in D1 with `rows`, each hash recomputed from the one before (spec §7). */
async function rewriteConsistently(stream: string, rows: AuditRow[]): Promise<void> {
  const out: AuditRow[] = [];
  let prev = rows[0]!.prev_hash;
  for (const r of rows) {
    const hash = eventHash(prev, { stream, seq: r.seq, type: r.type, atMs: r.at_ms, data: r.data });
    out.push({ ...r, prev_hash: prev, hash });
    prev = hash;
  }
  await writeRows(stream, out);
}

/** What a rogue with D1 access does: replace the rows, past D1's append-only triggers. */
function writeRows(stream: string, rows: AuditRow[]): Promise<void> {
  return asRogue(
    env.DB.prepare("DELETE FROM audit_events WHERE stream = ?").bind(stream),
    ...rows.map((r) =>
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

describe("a stream rewritten consistently in D1", () => {
  it("is reported by verify at the SKU's anchored head, though every hash in D1 matches", async () => {
    const sku = await createSku({ stock: 5 });
    await restock(sku, 2);
    await hold(sku, "rogue", 1);
    await flushOutbox(sku);
    const stream = `sku:${sku}`;
    const rows = await streamRows(stream);
    expect(rows.map((r) => r.type)).toEqual(["sku.created", "stock.adjusted", "stock.adjusted", "hold.created"]);
    expect(await verify(stream)).toMatchObject({ ok: true, events: 4 });

    // The first restock of 5 becomes 500; seq 3 and 4 are re-hashed onto it.
    const forged = rows.map((r) => (r.seq === 2 ? { ...r, data: r.data.replace('"delta":5', '"delta":500') } : r));
    expect(forged[1]!.data).not.toBe(rows[1]!.data);
    await rewriteConsistently(stream, forged);
    // The SKU object keeps its stream's head only: the rewrite shows at the head, the reason says "or earlier".
    const res = await verify(stream);
    expect(res).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 4 } });
    expect(res.firstBadEvent.reason).toMatch(/anchored outside D1.*an earlier one was rewritten/);
    // The unfiltered walk reports it too.
    expect((await verify()).firstBadEvent).toMatchObject({ stream, seq: 4 });
    await writeRows(stream, rows);
    expect(await verify(stream)).toMatchObject({ ok: true, events: 4 });
  });

  it("reports an order stream whose tail was removed along with the version that counts it", async () => {
    const sku = await createSku({ stock: 2 });
    const h = (await hold(sku, "tail", 1)).body;
    const placed = await checkoutAs("tail", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    const paid = await waitForStatus(placed.body.orderId, "paid");
    const stream = `order:${paid.orderId}`;
    const rows = await streamRows(stream);
    expect(rows.map((r) => r.type)).toEqual(["order.created", "order.paid"]);
    expect(await verify(stream)).toMatchObject({ ok: true, events: 2 });

    // The payment is erased: its event, and the order put back as if it never moved.
    await writeRows(stream, rows.slice(0, 1));
    await env.DB.prepare("UPDATE orders SET version = 1, status = 'pending_payment' WHERE order_id = ?").bind(paid.orderId).run();
    const res = await verify(stream);
    expect(res).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 2 } });
    expect(res.firstBadEvent.reason).toMatch(/anchored outside D1 but missing from D1/);
    await writeRows(stream, rows);
    await env.DB.prepare("UPDATE orders SET version = 2, status = 'paid' WHERE order_id = ?").bind(paid.orderId).run();
    expect(await verify(stream)).toMatchObject({ ok: true, events: 2 });
  });
});

describe("an order stream's anchor", () => {
  it("pins each event, so a rewrite of an order event is reported at that event", async () => {
    const sku = await createSku({ stock: 2 });
    const h = (await hold(sku, "pin", 1)).body;
    const placed = await checkoutAs("pin", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    const paid = await waitForStatus(placed.body.orderId, "paid");
    const stream = `order:${paid.orderId}`;
    const rows = await streamRows(stream);
    await rewriteConsistently(stream, [{ ...rows[0]!, data: rows[0]!.data.replace(/"quantity":1/, '"quantity":9') }, rows[1]!]);
    expect((await streamRows(stream))[0]!.data).toContain('"quantity":9');
    const res = await verify(stream);
    expect(res).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 1 } });
    expect(res.firstBadEvent.reason).toMatch(/anchored outside D1 for seq 1: this event was rewritten/);
    await writeRows(stream, rows);
    expect(await verify(stream)).toMatchObject({ ok: true, events: 2 });
  });

  it("reports an order stream that D1 lost entirely when it is asked for by name", async () => {
    const sku = await createSku({ stock: 1 });
    const h = (await hold(sku, "gone", 1)).body;
    const placed = await checkoutAs("gone", { holdIds: [h.holdId], paymentMethod: "pm_card_visa" });
    const paid = await waitForStatus(placed.body.orderId, "paid");
    const stream = `order:${paid.orderId}`;
    const rows = await streamRows(stream);
    await writeRows(stream, []);
    await env.DB.prepare("DELETE FROM orders WHERE order_id = ?").bind(paid.orderId).run();
    expect(await verify(stream)).toMatchObject({ ok: false, firstBadEvent: { stream, seq: 1 } });
    await writeRows(stream, rows);
  });
});

describe("D1's append-only guard on audit_events", () => {
  it("refuses to change or remove an event, and still takes new ones", async () => {
    const sku = await createSku({ stock: 1 });
    await flushOutbox(sku);
    const stream = `sku:${sku}`;
    const before = await streamRows(stream);
    expect(before.length).toBe(2);
    const update = env.DB.prepare("UPDATE audit_events SET data = '{}' WHERE stream = ? AND seq = 2").bind(stream).run();
    await expect(update).rejects.toThrow(/append-only: an event is never changed/);
    const remove = env.DB.prepare("DELETE FROM audit_events WHERE stream = ?").bind(stream).run();
    await expect(remove).rejects.toThrow(/append-only: an event is never removed/);
    expect(await streamRows(stream)).toEqual(before);
    await restock(sku, 1);
    await flushOutbox(sku);
    expect((await streamRows(stream)).map((r) => r.seq)).toEqual([1, 2, 3]);
  });
});
