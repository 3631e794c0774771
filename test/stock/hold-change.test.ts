import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signAdmission } from "../../src/waiting-room/tokens";
import { ADMIN, call, createSku, expectProblem, hold, holdOf, levels, putSale, shopperToken, unique } from "../support/helpers";
import { flushOutbox, inventoryRow, streamRows } from "../support/outbox";
import { objectSql } from "../support/inside-objects";
import { endQueuedSalesAfterAll, liveQueuedSale } from "../support/queued-sales";
import { TEST_SECRETS } from "../support/secrets";

/** Changing a held hold's quantity in place (spec §3, issue 23), through the Worker. */

const made = endQueuedSalesAfterAll();

async function change(sku: string, holdId: string, customerId: string, body: unknown, headers: Record<string, string> = {}) {
  return call(`/v1/skus/${sku}/holds/${holdId}`, { method: "PATCH", auth: await shopperToken(customerId), body, headers });
}

const key = () => ({ "Idempotency-Key": unique("change") });

describe("changing a hold's quantity", () => {
  it("gives units back at once on a decrease, keeping the hold's id, price and expiry, with one audited change", async () => {
    const sku = await createSku({ stock: 5, price: 700 });
    const h = holdOf(await hold(sku, "cal", 4));
    // The hold reaches D1's views first, so the change must move a row that exists.
    await flushOutbox(sku);
    const res = await change(sku, h.holdId, "cal", { quantity: 1 }, key());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...h, quantity: 1 });
    expect(await levels(sku)).toMatchObject({ reserved: 1, available: 4 });

    await flushOutbox(sku);
    const changed = (await streamRows(`sku:${sku}`)).filter((e) => e.type === "hold.changed");
    expect(changed).toHaveLength(1);
    const data = JSON.parse(changed[0]!.data);
    expect(data).toMatchObject({ before: { quantity: 4 }, hold: { holdId: h.holdId, quantity: 1 }, levels: { reserved: 1, available: 4 } });
    // The D1 views follow: the inventory and the customer's hold index.
    expect(await inventoryRow(sku)).toMatchObject({ reserved: 1, available: 4 });
    const indexed = await env.DB.prepare("SELECT quantity, status FROM customer_holds WHERE hold_id = ?").bind(h.holdId).first();
    expect(indexed).toEqual({ quantity: 1, status: "held" });
  });

  it("takes more units only when they are available now; otherwise 409 insufficient_stock and the hold is unchanged", async () => {
    const sku = await createSku({ stock: 5 });
    const h = holdOf(await hold(sku, "dee", 2));
    holdOf(await hold(sku, "eve", 2));
    const more = await change(sku, h.holdId, "dee", { quantity: 3 });
    expect(more).toMatchObject({ status: 200, body: { holdId: h.holdId, quantity: 3, expiresAt: h.expiresAt } });
    const tooMany = await change(sku, h.holdId, "dee", { quantity: 5 });
    expectProblem(tooMany, 409, "insufficient_stock");
    expect(tooMany.body.available).toBe(0);
    expect((await call(`/v1/skus/${sku}/holds/${h.holdId}`, { auth: await shopperToken("dee") })).body.quantity).toBe(3);
    expect(await levels(sku)).toMatchObject({ reserved: 5, available: 0 });
  });

  it("keeps an increase within the sale's limits: per order, per customer and the hold rate", async () => {
    const sku = await createSku({ stock: 50, alwaysOn: false });
    const sale = await putSale(unique("chg-sale"), [
      { sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 5, maxPerOrder: 3, holdsPerMinute: 3 },
    ]);
    expect(sale.status).toBe(201);
    const a = holdOf(await hold(sku, "fay", 1));
    const b = holdOf(await hold(sku, "fay", 1));
    const perOrder = await change(sku, a.holdId, "fay", { quantity: 4 });
    expectProblem(perOrder, 409, "limit_exceeded");
    expect(perOrder.body.remaining).toBe(2);
    expect(await change(sku, a.holdId, "fay", { quantity: 3 })).toMatchObject({ status: 200, body: { quantity: 3 } });
    // 3 + 1 held of 5: one more unit at most, and the rate bucket (3 a minute) is spent by now.
    const perCustomer = await change(sku, b.holdId, "fay", { quantity: 3 });
    expectProblem(perCustomer, 409, "limit_exceeded");
    expect(perCustomer.body.remaining).toBe(1);
    expectProblem(await change(sku, b.holdId, "fay", { quantity: 2 }), 429, "rate_limited");
    // A decrease needs no token.
    expect(await change(sku, a.holdId, "fay", { quantity: 1 })).toMatchObject({ status: 200, body: { quantity: 1 } });
    expect(await levels(sku)).toMatchObject({ reserved: 2 });
  });

  it("drops the edge's cached sold-out verdict when a decrease gives units back", async () => {
    const sku = await createSku({ stock: 2 });
    const h = holdOf(await hold(sku, "nia", 2));
    expectProblem(await hold(sku, "oto", 1), 409, "sold_out");
    expect((await hold(sku, "oto", 1)).headers.get("holdfast-cache")).toBe("hit");
    expect(await change(sku, h.holdId, "nia", { quantity: 1 })).toMatchObject({ status: 200, body: { quantity: 1 } });
    expect(await hold(sku, "oto", 1)).toMatchObject({ status: 201, body: { quantity: 1 } });
  });

  it("releases the hold on quantity 0", async () => {
    const sku = await createSku({ stock: 3 });
    const h = holdOf(await hold(sku, "gil", 2));
    const res = await change(sku, h.holdId, "gil", { quantity: 0 }, key());
    expect(res).toMatchObject({ status: 200, body: { holdId: h.holdId, status: "released", quantity: 2 } });
    expect(await levels(sku)).toMatchObject({ reserved: 0, available: 3 });
    expectProblem(await change(sku, h.holdId, "gil", { quantity: 1 }), 410, "hold_expired");
  });

  it("refuses to change a hold inside a checkout with 409 hold_not_releasable", async () => {
    const sku = await createSku({ stock: 5 });
    const h = holdOf(await hold(sku, "hap", 1));
    expect(await env.SKU.getByName(sku).beginCheckout(h.holdId, "order_chg", "merchant")).toMatchObject({ ok: true });
    for (const quantity of [0, 2]) {
      const res = await change(sku, h.holdId, "hap", { quantity });
      expectProblem(res, 409, "hold_not_releasable");
      expect(res.body.holdStatus).toBe("checkout");
    }
    expect(await levels(sku)).toMatchObject({ reserved: 1 });
  });

  it("answers a keyed retry from the stored reply, and a reused key with another body 422", async () => {
    const sku = await createSku({ stock: 5 });
    const h = holdOf(await hold(sku, "ian", 1));
    const headers = key();
    const first = await change(sku, h.holdId, "ian", { quantity: 3 }, headers);
    // Units go to another shopper in between: the retry is still the first answer, not a refusal.
    holdOf(await hold(sku, "jay", 2));
    const retry = await change(sku, h.holdId, "ian", { quantity: 3 }, headers);
    expect(first.status).toBe(200);
    expect(retry).toMatchObject({ status: 200, body: first.body });
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expectProblem(await change(sku, h.holdId, "ian", { quantity: 2 }, headers), 422, "idempotency_key_reused");
    expect(await levels(sku)).toMatchObject({ reserved: 5 });
  });

  it("answers bad input with a problem, never a 500, and changes nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const h = holdOf(await hold(sku, "kim", 2));
    const path = `/v1/skus/${sku}/holds/${h.holdId}`;
    const auth = await shopperToken("kim");
    for (const body of [
      { quantity: -1 },
      { quantity: 1.5 },
      { quantity: "2" },
      {},
      { quantity: 2, status: "held" },
      { quantity: 10_001 },
      [],
    ]) {
      expectProblem(await call(path, { method: "PATCH", auth, body }), 400, "invalid_request");
    }
    expectProblem(
      await call(path, { method: "PATCH", auth, rawBody: "{", headers: { "content-type": "application/json" } }),
      400,
      "invalid_request",
    );
    expectProblem(
      await call(path, { method: "PATCH", auth, rawBody: "quantity=1", headers: { "content-type": "text/plain" } }),
      415,
      "unsupported_media_type",
    );
    expectProblem(await call(`/v1/skus/${sku}/holds/not-a-hold`, { method: "PATCH", auth, body: { quantity: 1 } }), 400, "invalid_request");
    const other = await createSku({ stock: 1 });
    expectProblem(await call(`/v1/skus/${other}/holds/${h.holdId}`, { method: "PATCH", auth, body: { quantity: 1 } }), 404, "not_found");
    // Another shopper's hold is not found; the merchant may not change a shopper's cart.
    expectProblem(await change(sku, h.holdId, "lee", { quantity: 1 }), 404, "not_found");
    expectProblem(await call(path, { method: "PATCH", auth: ADMIN, body: { quantity: 1 } }), 403, "forbidden");
    expectProblem(await call(path, { method: "PATCH", body: { quantity: 1 } }), 401, "unauthorized");
    expectProblem(await change(sku, h.holdId, "kim", { quantity: 1 }, { "Idempotency-Key": "has space" }), 400, "invalid_request");
    expect(await levels(sku)).toMatchObject({ reserved: 2, available: 3 });
    const [row] = await objectSql<{ quantity: number }>(sku, "SELECT quantity FROM holds WHERE hold_id = ?", h.holdId);
    expect(row?.quantity).toBe(2);
  });

  it("asks an increase under a waiting room for the admission a new hold needs; a decrease needs none", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = await liveQueuedSale(made, sku, "chg-queued", { mode: "fifo" });
    const now = Date.now();
    const admission = await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, { s: saleId, c: "mo", t: now, k: sku, e: now + 60_000 });
    const h = holdOf(await hold(sku, "mo", 2, { "Holdfast-Admission": admission }));
    expectProblem(await change(sku, h.holdId, "mo", { quantity: 3 }), 403, "admission_required");
    expect(await change(sku, h.holdId, "mo", { quantity: 1 })).toMatchObject({ status: 200, body: { quantity: 1 } });
    const admitted = await change(sku, h.holdId, "mo", { quantity: 3 }, { "Holdfast-Admission": admission });
    expect(admitted).toMatchObject({ status: 200, body: { quantity: 3 } });
  });
});

describe("changing holds under a race", () => {
  it("grants exactly the stock when many owners increase at once on the last units", async () => {
    const stock = 30;
    const owners = 20;
    const sku = await createSku({ stock });
    const holds = await Promise.all(Array.from({ length: owners }, (_, i) => hold(sku, `inc-${i}`, 1)));
    // 20 units held, 10 left: every owner asks for 2 more at once.
    const answers = await Promise.all(holds.map((r, i) => change(sku, holdOf(r).holdId, `inc-${i}`, { quantity: 3 })));
    const granted = answers.filter((r) => r.status === 200);
    for (const r of answers.filter((r) => r.status !== 200)) expectProblem(r, 409, "insufficient_stock");
    expect(granted).toHaveLength(5);
    expect(await levels(sku)).toMatchObject({ reserved: stock, available: 0 });
    expect((await env.SKU.getByName(sku).stats())?.escrow.audit).toEqual({ ok: true, problems: [] });
  });
});
