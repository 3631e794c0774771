import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { holdStatus } from "../support/inside-objects";
import {
  ADMIN,
  call,
  createSku,
  expectConserved,
  expectProblem,
  getOrder,
  levels,
  returnedUnits,
  shopperToken,
  unique,
  waitForOrder,
  waitForStatus,
  paidOrder,
  placeOrder,
  type Order,
} from "../support/helpers";
import { asRogue } from "../support/audit-tamper";

/**
 * The orders API with the simulated provider: orders are placed over HTTP and
 * paid by Miniflare's own payments consumer. `pm_card_authenticationRequired`
 * keeps an order pending (3-D Secure) for as long as a test needs.
 */

/** Pending until someone acts: the simulated card asks for authentication. */
async function pendingOrder(customerId: string, sku: string, quantity: number) {
  const o = await placeOrder(customerId, sku, quantity, "pm_card_authenticationRequired");
  await waitForOrder(o.orderId, (order) => order.payment.status === "requires_action");
  return o;
}

/** The order's row as stored: a read that changes it shows here. */
const row = (orderId: string) => env.DB.prepare("SELECT status, version FROM orders WHERE order_id = ?").bind(orderId).first();

const post = (path: string, auth: string, body?: unknown) =>
  call(path, { method: "POST", auth, body, headers: { "Idempotency-Key": unique("idem") } });

describe("reading an order", () => {
  it("shows the order to its owner and the merchant, and to no one else", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder("amy", sku, 1);
    const owner = await getOrder(orderId, await shopperToken("amy"));
    const merchant = await getOrder(orderId, ADMIN);
    expect(owner.status).toBe(200);
    expect(owner.body).toMatchObject({ orderId, customerId: "amy", status: "paid" });
    expect(merchant).toMatchObject({ status: 200, body: owner.body });
    expectProblem(await getOrder(orderId, await shopperToken("not-amy")), 404, "not_found");
    expectProblem(await call(`/v1/orders/${orderId}`), 401, "unauthorized");
  });

  it("shows a lapsed pending order as expired without writing anything", async () => {
    const sku = await createSku({ stock: 2 });
    const customer = unique("cust");
    const { orderId } = await pendingOrder(customer, sku, 1);
    await env.DB.prepare("UPDATE orders SET expires_at_ms = ? WHERE order_id = ?")
      .bind(Date.now() - 1_000, orderId)
      .run();
    const stored = await row(orderId);
    const stock = await levels(sku);
    const audit = await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE stream = ?").bind(`order:${orderId}`).first("n");

    for (const auth of [ADMIN, await shopperToken(customer)]) {
      const res = await getOrder(orderId, auth);
      expect(res).toMatchObject({ status: 200, body: { orderId, status: "expired" } });
    }
    expect(await row(orderId)).toEqual({ status: "pending_payment", version: (stored as { version: number }).version });
    expect(await levels(sku)).toEqual(stock);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE stream = ?").bind(`order:${orderId}`).first("n")).toBe(audit);
  });
});

describe("cancelling", () => {
  it("lets the owner cancel while payment is pending, releasing the holds", async () => {
    const sku = await createSku({ stock: 4 });
    const { orderId, holdId } = await pendingOrder("bob", sku, 3);
    expect(await levels(sku)).toMatchObject({ reserved: 3 });

    const auth = await shopperToken("bob");
    const res = await post(`/v1/orders/${orderId}/cancel`, auth);
    expect(res).toMatchObject({ status: 200, body: { orderId, status: "cancelled", refund: null } });
    expect(await holdStatus(sku, holdId)).toBe("released");
    expect(await levels(sku)).toEqual({ onHand: 4, reserved: 0, available: 4, sold: 0, received: 4 });
    const again = await post(`/v1/orders/${orderId}/cancel`, auth);
    expect(again).toMatchObject({ status: 200, body: { status: "cancelled" } });
  });

  it("refuses the owner's cancel once the order is paid with 409 invalid_order_state", async () => {
    const sku = await createSku({ stock: 2 });
    const { orderId } = await paidOrder("cal", sku, 1);
    const res = await post(`/v1/orders/${orderId}/cancel`, await shopperToken("cal"));
    expectProblem(res, 409, "invalid_order_state");
    expect((await getOrder(orderId)).body.status).toBe("paid");
    expect(await levels(sku)).toMatchObject({ sold: 1, onHand: 1 });
  });

  it("lets the merchant cancel a paid order, refunding it and restocking its units", async () => {
    const sku = await createSku({ stock: 5 });
    const { orderId } = await paidOrder("dee", sku, 2);
    expect(await levels(sku)).toMatchObject({ onHand: 3, sold: 2, received: 5 });

    const res = await post(`/v1/orders/${orderId}/cancel`, ADMIN);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "cancelled",
      refund: { refundId: expect.stringMatching(/^re_/), reason: "cancelled_by_merchant", restocked: true },
    });
    // spec §3: the restock is each hold's committed -> returned: the units leave sold, received counts only arrivals.
    const after = await levels(sku);
    expect(after).toEqual({ onHand: 5, reserved: 0, available: 5, sold: 0, received: 5 });
    expect(await returnedUnits(sku)).toBe(2);
    expectConserved(after);
  });

  it("answers 404 when another shopper tries to cancel", async () => {
    const sku = await createSku({ stock: 2 });
    const { orderId } = await pendingOrder("eli", sku, 1);
    expectProblem(await post(`/v1/orders/${orderId}/cancel`, await shopperToken("not-eli")), 404, "not_found");
    expect((await getOrder(orderId)).body.status).toBe("pending_payment");
    expect(await levels(sku)).toMatchObject({ reserved: 1 });
  });
});

describe("fulfilling", () => {
  it("moves a paid order to fulfilled, and answers the same 200 when asked twice", async () => {
    const sku = await createSku({ stock: 2 });
    const { orderId } = await paidOrder("fay", sku, 1);
    const first = await post(`/v1/orders/${orderId}/fulfill`, ADMIN);
    expect(first).toMatchObject({ status: 200, body: { orderId, status: "fulfilled" } });
    const second = await post(`/v1/orders/${orderId}/fulfill`, ADMIN);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await levels(sku)).toMatchObject({ sold: 1, onHand: 1 });
  });

  it("refuses to fulfil an order awaiting payment with 409, and a shopper with 403", async () => {
    const sku = await createSku({ stock: 2 });
    const { orderId } = await pendingOrder("gus", sku, 1);
    expectProblem(await post(`/v1/orders/${orderId}/fulfill`, ADMIN), 409, "invalid_order_state");
    expectProblem(await post(`/v1/orders/${orderId}/fulfill`, await shopperToken("gus")), 403, "forbidden");
    expect((await getOrder(orderId)).body.status).toBe("pending_payment");
  });

  it("answers 409 when the order's compare-and-swap keeps losing, and the retry then succeeds", async () => {
    const sku = await createSku({ stock: 2 });
    const { orderId } = await paidOrder(unique("cust"), sku, 1);
    const stored = (await row(orderId)) as { status: string; version: number };
    // Another writer's event at the next seq: every attempt of this one conflicts.
    const squat = env.DB.prepare(
      "INSERT INTO audit_events (stream, seq, type, at_ms, data, prev_hash, hash) VALUES (?, ?, 'test.squat', 0, '{}', 'x', 'y')",
    );
    await squat.bind(`order:${orderId}`, stored.version + 1).run();

    const res = await post(`/v1/orders/${orderId}/fulfill`, ADMIN);
    expectProblem(res, 409, "invalid_order_state");
    expect(res.body.detail).toMatch(/concurrently/);
    expect(await row(orderId)).toEqual(stored);

    await asRogue(env.DB.prepare("DELETE FROM audit_events WHERE stream = ? AND type = 'test.squat'").bind(`order:${orderId}`));
    const retry = await post(`/v1/orders/${orderId}/fulfill`, ADMIN);
    expect(retry).toMatchObject({ status: 200, body: { status: "fulfilled" } });
  });
});

describe("refunding", () => {
  it("refunds with restock: units go back on hand once, however often it is asked", async () => {
    const sku = await createSku({ stock: 5 });
    const { orderId } = await paidOrder("hal", sku, 2);
    const res = await post(`/v1/orders/${orderId}/refund`, ADMIN, { restock: true });
    expect(res).toMatchObject({ status: 200, body: { status: "refunded", refund: { reason: "requested_by_merchant", restocked: true } } });
    expect(res.body.refund.refundId).toMatch(/^re_/);
    const after = await levels(sku);
    expect(after).toEqual({ onHand: 5, reserved: 0, available: 5, sold: 0, received: 5 });
    expect(await returnedUnits(sku)).toBe(2);
    expectConserved(after);

    const again = await post(`/v1/orders/${orderId}/refund`, ADMIN, { restock: true });
    expect(again).toMatchObject({ status: 200, body: res.body });
    expect(await levels(sku)).toEqual(after);
  });

  it("refunds without restock: on hand stays where the sale left it", async () => {
    const sku = await createSku({ stock: 5 });
    const { orderId } = await paidOrder("ida", sku, 2);
    const res = await post(`/v1/orders/${orderId}/refund`, ADMIN, { restock: false });
    expect(res).toMatchObject({ status: 200, body: { status: "refunded", refund: { restocked: false } } });
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 0, available: 3, sold: 2, received: 5 });
  });

  it("refunds a fulfilled order too", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder("jo", sku, 1);
    expect((await post(`/v1/orders/${orderId}/fulfill`, ADMIN)).status).toBe(200);
    const res = await post(`/v1/orders/${orderId}/refund`, ADMIN, { restock: true });
    expect(res).toMatchObject({ status: 200, body: { status: "refunded" } });
    expect(await levels(sku)).toMatchObject({ onHand: 3, sold: 0, received: 3 });
  });

  // spec §6: every state-changing POST is idempotent by key, 422 on reuse with another body.
  it("answers 422 when a refund's Idempotency-Key comes back with another body", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await paidOrder("lee", sku, 1);
    const headers = { "Idempotency-Key": unique("idem") };
    const first = await call(`/v1/orders/${orderId}/refund`, { auth: ADMIN, body: { restock: false }, headers });
    expect(first.status).toBe(200);
    const reused = await call(`/v1/orders/${orderId}/refund`, { auth: ADMIN, body: { restock: true }, headers });
    expectProblem(reused, 422, "idempotency_key_reused");
  });

  it("refuses to refund an order awaiting payment with 409, changing nothing", async () => {
    const sku = await createSku({ stock: 3 });
    const { orderId } = await pendingOrder("kai", sku, 2);
    expectProblem(await post(`/v1/orders/${orderId}/refund`, ADMIN, { restock: true }), 409, "invalid_order_state");
    expect((await getOrder(orderId)).body).toMatchObject({ status: "pending_payment", refund: null });
    expect(await levels(sku)).toEqual({ onHand: 3, reserved: 2, available: 1, sold: 0, received: 3 });
  });
});

describe("listing", () => {
  it("filters by SKU and status, newest first, across pages", async () => {
    const sku = await createSku({ stock: 20 });
    const other = await createSku({ stock: 5 });
    const paid = [];
    for (let i = 0; i < 5; i++) paid.push(await placeOrder(`lister-${i}`, sku, 1));
    const pending = await placeOrder("lister-p", sku, 1, "pm_card_authenticationRequired");
    const elsewhere = await placeOrder("lister-o", other, 1);
    await Promise.all([...paid, elsewhere].map((o) => waitForStatus(o.orderId, "paid")));

    const pages: Order[][] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/v1/orders?sku=${sku}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { auth: ADMIN });
      expect(res.status).toBe(200);
      pages.push(res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
    const seen = pages.flat();
    expect(seen.map((o) => o.orderId).sort()).toEqual([...paid, pending].map((o) => o.orderId).sort());
    const created = seen.map((o) => Date.parse(o.createdAt));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(seen.every((o) => o.items.some((i) => i.sku === sku))).toBe(true);

    const paidOnly = await call(`/v1/orders?sku=${sku}&status=paid`, { auth: ADMIN });
    expect(paidOnly.body.data.map((o: Order) => o.orderId).sort()).toEqual(paid.map((o) => o.orderId).sort());
    expect(paidOnly.body.nextCursor).toBeNull();
    const pendingOnly = await call(`/v1/orders?sku=${sku}&status=pending_payment`, { auth: ADMIN });
    expect(pendingOnly.body.data.map((o: Order) => o.orderId)).toEqual([pending.orderId]);
  });

  it("serves a full page of 200 orders with their items, past D1's 100-parameter limit", async () => {
    // Written straight to D1: the listing is what is under test, not 200 checkouts.
    const sku = await createSku({ stock: 1 });
    const t0 = Date.now() + 10 * 60_000;
    const ids = Array.from({ length: 201 }, (_, i) => `ord_${i.toString(16).padStart(24, "0")}`);
    await env.DB.batch(
      ids.flatMap((id, i) => [
        env.DB.prepare(
          `INSERT INTO orders (order_id, customer_id, status, total_amount, currency, payment_provider, payment_method, version, expires_at_ms, created_at_ms, updated_at_ms)
           VALUES (?, 'bulk', 'paid', 100, 'usd', 'simulated', 'pm_card_visa', 1, ?, ?, ?)`,
        ).bind(id, t0 + i, t0 + i, t0 + i),
        env.DB.prepare("INSERT INTO order_items (order_id, hold_id, sku, quantity, unit_amount) VALUES (?, ?, ?, 1, 100)").bind(
          id,
          `hold_${id}`,
          sku,
        ),
      ]),
    );
    const first = await call(`/v1/orders?sku=${sku}&limit=200`, { auth: ADMIN });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(200);
    expect(first.body.data.every((o: Order) => o.items.length === 1 && o.items[0]?.sku === sku)).toBe(true);
    const rest = await call(`/v1/orders?sku=${sku}&limit=200&cursor=${first.body.nextCursor}`, { auth: ADMIN });
    expect(rest.body.data.map((o: Order) => o.orderId)).toEqual([ids[0]]);
    expect(rest.body.nextCursor).toBeNull();
  });

  it("is for the merchant only: a shopper gets 403, a bad cursor 400", async () => {
    expectProblem(await call("/v1/orders", { auth: await shopperToken("nosy") }), 403, "forbidden");
    expectProblem(await call("/v1/orders?cursor=not-a-cursor", { auth: ADMIN }), 400, "invalid_request");
  });
});
