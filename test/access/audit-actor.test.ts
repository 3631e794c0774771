import { describe, expect, it } from "vitest";
import { apiKey } from "../support/api-keys";
import { ADMIN, call, createSku, hold, paidOrder, unique, waitForStatus } from "../support/helpers";
import { flushOutbox } from "../support/outbox";

/** Spec §12: every audit event of a merchant action names its actor, `{ keyId, role }` (`root` for ADMIN_TOKEN). */

async function events(stream: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
  const res = await call(`/v1/audit?stream=${encodeURIComponent(stream)}&limit=100`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body.data.map((e: { type: string; data: unknown }) => ({
    type: e.type,
    data: typeof e.data === "string" ? JSON.parse(e.data) : e.data,
  }));
}

describe("the actor of a merchant action", () => {
  it("is on the SKU's events: created, updated, adjusted, a hold voided and one released", async () => {
    const manager = await apiKey("manager");
    const owner = await apiKey("owner");
    const sku = unique("actor-sku");
    const body = { name: "Tee", price: { amount: 900, currency: "usd" } };
    expect((await call(`/v1/skus/${sku}`, { method: "PUT", auth: manager.auth, body })).status).toBe(201);
    expect((await call(`/v1/skus/${sku}`, { method: "PUT", auth: ADMIN, body: { ...body, alwaysOn: true } })).status).toBe(200);
    expect((await call(`/v1/skus/${sku}/adjustments`, { auth: owner.auth, body: { delta: 5, reason: "received" } })).status).toBe(200);
    const voided = await hold(sku, unique("shopper"), 1);
    const released = await hold(sku, unique("shopper"), 1);
    expect((await call(`/v1/skus/${sku}/holds/${voided.body.holdId}/void`, { auth: manager.auth, body: { reason: "fraud" } })).status).toBe(
      200,
    );
    expect((await call(`/v1/skus/${sku}/holds/${released.body.holdId}`, { method: "DELETE", auth: owner.auth })).status).toBe(200);
    await flushOutbox(sku);

    const actors = (await events(`sku:${sku}`)).filter((e) => e.type !== "hold.created").map((e) => [e.type, e.data.actor]);
    expect(actors).toEqual([
      ["sku.created", { keyId: manager.keyId, role: "manager" }],
      ["sku.updated", { keyId: "root", role: "owner" }],
      ["stock.adjusted", { keyId: owner.keyId, role: "owner" }],
      ["hold.released", { keyId: manager.keyId, role: "manager" }],
      ["hold.released", { keyId: owner.keyId, role: "owner" }],
    ]);
  });

  it("is on an order's fulfilment and refund, and not on the shopper's own moves", async () => {
    const fulfillment = await apiKey("fulfillment");
    const manager = await apiKey("manager");
    const sku = await createSku({ stock: 5 });
    const { orderId } = await paidOrder(unique("buyer"), sku, 1);
    expect((await call(`/v1/orders/${orderId}/fulfill`, { auth: fulfillment.auth, body: {} })).status).toBe(200);
    expect((await call(`/v1/orders/${orderId}/refund`, { auth: manager.auth, body: { restock: false } })).status).toBe(200);
    await waitForStatus(orderId, "refunded");

    const byType = new Map((await events(`order:${orderId}`)).map((e) => [e.type, e.data.actor]));
    expect(byType.get("order.created")).toBeUndefined();
    expect(byType.get("order.fulfilled")).toEqual({ keyId: fulfillment.keyId, role: "fulfillment" });
    expect(byType.get("order.refund_requested")).toEqual({ keyId: manager.keyId, role: "manager" });
  });

  it("is on a payments reconciliation a merchant ran", async () => {
    const manager = await apiKey("manager");
    const res = await call("/v1/payments/reconciliation", { method: "POST", auth: manager.auth });
    expect(res.status).toBe(200);
    expect(res.body.actor).toEqual({ keyId: manager.keyId, role: "manager" });
  });
});
