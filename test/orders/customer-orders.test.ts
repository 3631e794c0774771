import { describe, expect, it } from "vitest";
import { call, checkoutAs, createSku, expectProblem, shopperToken, unique, waitForStatus } from "../support/helpers";

const myOrders = async (customerId: string, query = "") => call(`/v1/me/orders${query}`, { auth: await shopperToken(customerId) });

describe("GET /v1/me/orders", () => {
  it("pages through the caller's orders only, newest first, filtered by status", async () => {
    const sku = await createSku({ stock: 20 });
    const me = unique("me");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await checkoutAs(me, { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" });
      expect(res.status).toBe(202);
      ids.push(res.body.orderId);
      await waitForStatus(res.body.orderId, "paid");
    }
    await checkoutAs(unique("other"), { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" });

    const first = await myOrders(me, "?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data.map((o: { orderId: string }) => o.orderId)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await myOrders(me, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((o: { orderId: string }) => o.orderId)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await myOrders(me, "?status=refunded")).body.data).toEqual([]);
    expect((await myOrders(me, "?status=paid")).body.data).toHaveLength(3);
    expectProblem(await myOrders(me, "?cursor=bm9wZQ"), 400, "invalid_request");
  });
});
