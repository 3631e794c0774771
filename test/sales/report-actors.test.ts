import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, paidOrder, unique } from "../support/helpers";
import { apiKey } from "../support/api-keys";

/**
 * Issue 20 item 4: the post-sale report names who did each merchant action on
 * the sale (spec §12), from the `actor` of its audit events: who created,
 * changed and ended it, who adjusted its SKUs in its window, who refunded its orders.
 */

const ship = (sku: string) => runDurableObjectAlarm(env.SKU.getByName(sku));

function saleBody(sku: string, name: string) {
  const now = Date.now();
  return {
    name,
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    items: [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 3 }],
  };
}

describe("the post-sale report's actors", () => {
  it("names who created, changed and ended the sale, who adjusted its SKU and who refunded its order", async () => {
    // Stock received before the sale was created is not an action on the sale.
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const [manager, owner] = await Promise.all([apiKey("manager"), apiKey("owner")]);
    const saleId = unique("act");
    const put = (auth: string, name: string) => call(`/v1/sales/${saleId}`, { method: "PUT", auth, body: saleBody(sku, name) });
    expect((await put(manager.auth, "Spring drop")).status).toBe(201);
    expect((await put(manager.auth, "Spring drop, renamed")).status).toBe(200);
    const adjusted = await call(`/v1/skus/${sku}/adjustments`, { auth: owner.auth, body: { delta: 3, reason: "restock" } });
    expect(adjusted.status).toBe(200);
    const { orderId } = await paidOrder(unique("buyer"), sku, 1);
    expect((await call(`/v1/orders/${orderId}/refund`, { auth: owner.auth, body: { restock: false } })).status).toBe(200);
    expect((await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, body: {} })).status).toBe(200);
    await ship(sku);

    const res = await call(`/v1/sales/${saleId}/report`, { auth: ADMIN });
    expect(res.status).toBe(200);
    const actions = res.body.actions as Array<Record<string, unknown>>;
    expect(actions.map((a) => [a.action, (a.actor as { keyId: string }).keyId])).toEqual([
      ["sale.created", manager.keyId],
      ["sale.changed", manager.keyId],
      ["stock.adjusted", owner.keyId],
      ["order.refund_requested", owner.keyId],
      ["sale.ended", "root"],
    ]);
    expect(actions[2]).toMatchObject({ sku, units: 3, reason: "restock", actor: { keyId: owner.keyId, role: "owner" } });
    expect(actions[3]).toMatchObject({ orderId, actor: { keyId: owner.keyId, role: "owner" } });
    // In time order, each an ISO instant.
    const times = actions.map((a) => Date.parse(a.at as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(res.body.actors).toEqual([
      { keyId: manager.keyId, role: "manager", actions: 2 },
      { keyId: owner.keyId, role: "owner", actions: 2 },
      { keyId: "root", role: "owner", actions: 1 },
    ]);
    expect(res.body.actionsComplete).toBe(true);
  });

  it("names no actor for a sale nobody touched after creating it with the merchant token, and leaves shoppers out", async () => {
    const sku = await createSku({ stock: 4, alwaysOn: false });
    const saleId = unique("act-quiet");
    expect((await call(`/v1/sales/${saleId}`, { method: "PUT", auth: ADMIN, body: saleBody(sku, "Quiet") })).status).toBe(201);
    await paidOrder(unique("buyer"), sku, 2);
    await ship(sku);
    const res = await call(`/v1/sales/${saleId}/report`, { auth: ADMIN });
    expect(res.status).toBe(200);
    expect(res.body.actions).toMatchObject([{ action: "sale.created", actor: { keyId: "root", role: "owner" } }]);
    expect(res.body.actors).toEqual([{ keyId: "root", role: "owner", actions: 1 }]);
  });
});
