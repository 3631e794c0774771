import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, paidOrder, placeOrder, unique, waitForStatus } from "../support/helpers";
import { expireHold } from "../support/inside-objects";
import { expectLocatedInvariants, located, locatedSku } from "../support/location-transfers";

/**
 * Orders follow the hold's allocation (spec §11, issue 19 item 3): the items
 * carry it, fulfilment names only the allocated location, and a cancel,
 * an expiry and a refund with restock put the units back where they were
 * allocated.
 */

const fulfil = (orderId: string, body?: unknown) => call(`/v1/orders/${orderId}/fulfill`, { method: "POST", auth: ADMIN, body });

describe("orders on located SKUs", () => {
  it("an unlocated SKU's order has no allocations and ships only from `default`", async () => {
    const sku = await createSku({ stock: 5 });
    const order = await paidOrder(unique("shopper"), sku, 1);
    const got = await call(`/v1/orders/${order.orderId}`, { auth: ADMIN });
    expect(got.body.items[0]).not.toHaveProperty("allocations");
    const elsewhere = await fulfil(order.orderId, { location: "wh-a" });
    expectProblem(elsewhere, 409, "invalid_order_state");
    expect(elsewhere.body.allocatedLocations).toEqual(["default"]);
    expect((await fulfil(order.orderId, { location: "default" })).body.status).toBe("fulfilled");
  });

  it("the order records the hold's allocation and is fulfilled only from that location", async () => {
    const sku = await locatedSku({ "wh-a": 0, "wh-b": 3 });
    const order = await paidOrder(unique("shopper"), sku, 2);
    const got = await call(`/v1/orders/${order.orderId}`, { auth: ADMIN });
    expect(got.body.items[0].allocations).toEqual([{ location: "wh-b", quantity: 2 }]);
    const wrong = await fulfil(order.orderId, { location: "wh-a" });
    expectProblem(wrong, 409, "invalid_order_state");
    expect(wrong.body.allocatedLocations).toEqual(["wh-b"]);
    expect((await fulfil(order.orderId, { location: "wh-b" })).body.status).toBe("fulfilled");
    expect((await located(sku)).locations["wh-b"]).toMatchObject({ onHand: 1, sold: 2 });
    await expectLocatedInvariants(sku);
  });

  it("a refund with restock, a merchant's cancel and an expiry put the units back where they were allocated", async () => {
    const sku = await locatedSku({ "wh-a": 0, "wh-b": 6 });
    const refunded = await paidOrder(unique("shopper"), sku, 2);
    const refund = await call(`/v1/orders/${refunded.orderId}/refund`, { auth: ADMIN, body: { restock: true } });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    await waitForStatus(refunded.orderId, "refunded");
    expect((await located(sku)).locations["wh-b"]).toMatchObject({ onHand: 6, sold: 0 });

    const cancelled = await paidOrder(unique("shopper"), sku, 1);
    expect((await call(`/v1/orders/${cancelled.orderId}/cancel`, { method: "POST", auth: ADMIN })).status).toBe(200);
    await waitForStatus(cancelled.orderId, "cancelled");
    expect((await located(sku)).locations["wh-b"]).toMatchObject({ onHand: 6, sold: 0, reserved: 0 });

    const pending = await placeOrder(unique("shopper"), sku, 3, "pm_card_chargeDeclined");
    await waitForStatus(pending.orderId, "payment_failed");
    expect((await located(sku)).locations["wh-b"]).toMatchObject({ reserved: 3 });
    await expireHold(sku, pending.holdId);
    const end = await located(sku);
    expect(end.locations["wh-b"]).toMatchObject({ onHand: 6, reserved: 0, available: 6 });
    expect(end.locations["wh-a"]).toMatchObject({ onHand: 0, reserved: 0 });
    await expectLocatedInvariants(sku);
  });
});
