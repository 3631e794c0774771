import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { linkEvents } from "../../src/audit/chain";
import { checkpointsStub } from "../../src/audit/export";
import { ADMIN, call, createSku, expectProblem, hold, paidOrder, putSale, shopperToken, unique } from "../support/helpers";
import { asRogue } from "../support/audit-tamper";
import { flushOutbox } from "../support/outbox";

/** Issue 10: GET /v1/sales/{saleId}/report, replayed from the audit log. */

const report = (saleId: string) => call(`/v1/sales/${saleId}/report`, { auth: ADMIN });
const ship = (sku: string) => runDurableObjectAlarm(env.SKU.getByName(sku));

/** Appends a correctly chained event to a stream, as a writer that broke a rule would have. */
async function appendEvent(stream: string, type: string, data: object) {
  const tip = await env.DB.prepare("SELECT seq, hash FROM audit_events WHERE stream = ? ORDER BY seq DESC LIMIT 1")
    .bind(stream)
    .first<{ seq: number; hash: string }>();
  const [e] = linkEvents(tip!.hash, [{ stream, seq: tip!.seq + 1, type, atMs: Date.now(), data: JSON.stringify(data) }]);
  await env.DB.prepare("INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
    .bind(e!.stream, e!.seq, e!.type, e!.atMs, e!.data, e!.prevHash, e!.hash)
    .run();
}

describe("GET /v1/sales/{saleId}/report", () => {
  it("replays received, sold and returned per SKU, checks every customer and charts the window", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    const saleId = unique("rep");
    expect(
      (await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 3 }], { startsInMs: -5 * 60_000 })).status,
    ).toBe(201);
    const buyer = unique("buyer");
    const paid = await paidOrder(buyer, sku, 2);
    const other = await hold(sku, unique("c"), 3);
    await call(`/v1/skus/${sku}/holds/${other.body.holdId}/void`, { auth: ADMIN, body: { reason: "test" } });
    await hold(sku, unique("c"), 1);
    const refund = await call(`/v1/orders/${paid.orderId}/refund`, { auth: ADMIN, body: { restock: true } });
    expect(refund.status).toBe(200);
    await ship(sku);

    const res = await report(saleId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      saleId,
      ok: true,
      complete: true,
      skus: [{ sku, received: 10, sold: 0, returned: 2, soldInSale: 0, ok: true }],
      customers: { checked: 3, withinLimit: true, firstViolation: null },
      audit: { ok: true, streams: 1 },
    });
    const [series] = res.body.series;
    expect(series.sku).toBe(sku);
    // Five minutes and a bit since the start: six one-minute points, the last one partial.
    expect(series.points).toHaveLength(6);
    expect(series.points.at(-1).available).toBe(9);
    expect(series.points.reduce((n: number, p: { holdsPerMinute: number }) => n + p.holdsPerMinute, 0)).toBe(3);
    expect(Date.parse(series.points[1].at) - Date.parse(series.points[0].at)).toBe(60_000);
  });

  it("names the first customer over the limit and the SKU sold beyond what it received, from the log alone", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("rep-bad");
    expect((await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
    const h = await hold(sku, "carol", 2);
    await ship(sku);
    expect((await report(saleId)).body.ok).toBe(true);

    // What a broken writer would have logged: two more units for carol, and a commit of units that never arrived.
    const hold2 = { ...h.body, holdId: `${h.body.holdId.slice(0, 10)}x`, quantity: 2 };
    await appendEvent(`sku:${sku}`, "hold.created", {
      hold: hold2,
      levels: { onHand: 5, reserved: 4, available: 1, sold: 0, received: 5, returned: 0 },
    });
    await appendEvent(`sku:${sku}`, "hold.committed", {
      hold: { ...hold2, quantity: 9 },
      levels: { onHand: 0, reserved: 0, available: 0, sold: 9, received: 5, returned: 0 },
    });
    const res = await report(saleId);
    expect(res.body).toMatchObject({
      ok: false,
      skus: [{ sku, received: 5, sold: 9, ok: false }],
      customers: { withinLimit: false, firstViolation: { customerId: "carol", sku, units: 4, limit: 2 } },
      audit: { ok: true },
    });
  });

  it("says when the audit chain was altered", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("rep-edit");
    expect((await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
    await hold(sku, unique("c"), 1);
    // Every event in D1 before the edit: one alarm run may find the object's own run in flight.
    await flushOutbox(sku);
    await asRogue(
      env.DB.prepare("UPDATE audit_events SET data = json_set(data, '$.delta', 500) WHERE stream = ? AND type = 'stock.adjusted'").bind(
        `sku:${sku}`,
      ),
    );
    const res = await report(saleId);
    expect(res.body).toMatchObject({ ok: false, audit: { ok: false, firstBadEvent: { stream: `sku:${sku}` } } });
  });

  it("names the signed checkpoint its events are under, with the SKU streams' heads in it, to check later", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("rep-cp");
    expect((await putSale(saleId, [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
    await hold(sku, unique("c"), 1);
    await flushOutbox(sku);
    const signed = await checkpointsStub(env).makeCheckpoint(Date.now());
    const head = await env.DB.prepare("SELECT seq, hash FROM audit_events WHERE stream = ? ORDER BY seq DESC LIMIT 1")
      .bind(`sku:${sku}`)
      .first<{ seq: number; hash: string }>();
    expect((await report(saleId)).body.audit.checkpoint).toEqual({
      body: signed!.body,
      signature: signed!.signature,
      covers: true,
      heads: [{ stream: `sku:${sku}`, seq: head!.seq, hash: head!.hash }],
    });

    // An event after it is under the next checkpoint, not this one.
    await hold(sku, unique("c"), 1);
    await flushOutbox(sku);
    expect((await report(saleId)).body.audit.checkpoint).toMatchObject({ body: { seq: signed!.body.seq }, covers: false });
    const next = await checkpointsStub(env).makeCheckpoint(Date.now());
    expect((await report(saleId)).body.audit.checkpoint).toMatchObject({ body: { seq: next!.body.seq }, covers: true });
  });

  it("is 404 for an unknown sale and merchant-only", async () => {
    expectProblem(await report(unique("nope")), 404, "not_found");
    expectProblem(await report("bad id!"), 400, "invalid_request");
    expectProblem(await call(`/v1/sales/x/report`), 401, "unauthorized");
    expectProblem(await call(`/v1/sales/x/report`, { auth: await shopperToken("eve") }), 403, "forbidden");
  });
});
