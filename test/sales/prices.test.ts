import { describe, expect, it } from "vitest";
import { ADMIN, call, checkoutAs, createSku, expectProblem, hold, holdOf, putSale, unique } from "../support/helpers";

/**
 * What a shopper sees is what they pay (issue 26): prices only in amounts the
 * payment provider charges, and a SKU view whose sale says whether it applies
 * and whose `currentPrice` is what a hold taken now gets.
 */

const putSku = (sku: string, body: Record<string, unknown>) => call(`/v1/skus/${sku}`, { method: "PUT", auth: ADMIN, body });

describe("prices the provider would refuse", () => {
  it.each([
    ["a three-decimal amount not ending in 0", { amount: 19_005, currency: "kwd" }],
    ["zero", { amount: 0, currency: "usd" }],
    ["more than the provider's maximum", { amount: 100_000_000, currency: "jpy" }],
  ])("a SKU priced at %s is refused invalid_amount, and nothing is created", async (_, price) => {
    const sku = unique("amt");
    const res = await putSku(sku, { name: "Odd", price });
    expectProblem(res, 400, "invalid_amount");
    expect(res.body.errors).toEqual([expect.objectContaining({ in: "json", path: "price.amount" })]);
    expect((await call(`/v1/skus/${sku}`)).status).toBe(404);
  });

  it("accepts every currency's own units: 1900 jpy, 19000 kwd, the provider's maximum", async () => {
    for (const price of [
      { amount: 1_900, currency: "jpy" },
      { amount: 19_000, currency: "kwd" },
      { amount: 99_999_999, currency: "usd" },
    ]) {
      expect((await putSku(unique("amt"), { name: "Fine", price })).status).toBe(201);
    }
  });

  it("a sale item priced at an amount the provider refuses is refused invalid_amount, naming the item", async () => {
    const sku = unique("amt");
    expect((await putSku(sku, { name: "Dinar", price: { amount: 25_000, currency: "kwd" } })).status).toBe(201);
    const saleId = unique("sale");
    const res = await putSale(saleId, [{ sku, price: { amount: 19_001, currency: "kwd" }, perCustomerLimit: 2 }]);
    expectProblem(res, 400, "invalid_amount");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "items.0.price.amount" })]);
    expect((await call(`/v1/sales/${saleId}`)).status).toBe(404);
  });
});

describe("the SKU view's price", () => {
  it("an alwaysOn SKU with a sale starting later shows the list price as what a hold gets, and the sale as upcoming", async () => {
    const sku = await createSku({ stock: 5, price: 2_500 });
    const saleId = unique("sale");
    expect(
      (
        await putSale(saleId, [{ sku, price: { amount: 1_900, currency: "usd" }, perCustomerLimit: 2 }], {
          startsInMs: 3_600_000,
          endsInMs: 7_200_000,
        })
      ).status,
    ).toBe(201);
    const view = (await call(`/v1/skus/${sku}`)).body;
    expect(view.status).toBe("live");
    expect(view.sale).toMatchObject({ saleId, state: "upcoming" });
    expect(view.currentPrice).toEqual({ amount: 2_500, currency: "usd" });
    const held = await hold(sku, unique("c"), 1);
    expect(held.status).toBe(201);
    expect(holdOf(held).unitPrice).toEqual(view.currentPrice);
  });

  it("after its sale ended, an alwaysOn SKU says the sale ended and prices holds at the list price", async () => {
    const sku = await createSku({ stock: 5, price: 2_500 });
    const saleId = unique("sale");
    expect(
      (
        await putSale(saleId, [{ sku, price: { amount: 1_900, currency: "usd" }, perCustomerLimit: 2 }], {
          startsInMs: -7_200_000,
          endsInMs: -3_600_000,
        })
      ).status,
    ).toBe(201);
    const view = (await call(`/v1/skus/${sku}`)).body;
    expect(view.sale).toMatchObject({ saleId, state: "ended" });
    expect(view.currentPrice).toEqual({ amount: 2_500, currency: "usd" });
  });

  it("a live sale prices the view and the hold alike; a SKU with nothing to sell has no current price", async () => {
    const sku = await createSku({ stock: 5, price: 2_500, alwaysOn: false });
    expect((await call(`/v1/skus/${sku}`)).body).toMatchObject({ status: "off_sale", currentPrice: null, sale: null });
    const saleId = unique("sale");
    expect((await putSale(saleId, [{ sku, price: { amount: 1_900, currency: "usd" }, perCustomerLimit: 2 }])).status).toBe(201);
    const view = (await call(`/v1/skus/${sku}`)).body;
    expect(view.sale).toMatchObject({ saleId, state: "live" });
    expect(view.currentPrice).toEqual({ amount: 1_900, currency: "usd" });
    expect(holdOf(await hold(sku, unique("c"), 1)).unitPrice).toEqual(view.currentPrice);
  });
});

describe("a checkout's expected total", () => {
  it("a hold keeps its price after a price edit; a checkout expecting another total is refused total_changed, one expecting it goes through", async () => {
    const sku = await createSku({ stock: 5, price: 2_500 });
    const shopper = unique("c");
    const before = holdOf(await hold(sku, shopper, 2));
    expect(before.unitPrice).toEqual({ amount: 2_500, currency: "usd" });
    expect((await putSku(sku, { name: "Dearer", price: { amount: 3_000, currency: "usd" }, alwaysOn: true })).status).toBe(200);
    expect((await call(`/v1/skus/${sku}`, { auth: ADMIN })).body.currentPrice).toEqual({ amount: 3_000, currency: "usd" });

    const stale = await checkoutAs(shopper, {
      holdIds: [before.holdId],
      paymentMethod: "pm_card_visa",
      expectedTotal: { amount: 6_000, currency: "usd" },
    });
    expectProblem(stale, 409, "total_changed");
    expect(stale.body).toMatchObject({ total: 5_000, currency: "usd" });

    const after = holdOf(await hold(sku, shopper, 1));
    expect(after.unitPrice).toEqual({ amount: 3_000, currency: "usd" });
    const paid = await checkoutAs(shopper, {
      holdIds: [after.holdId],
      paymentMethod: "pm_card_visa",
      expectedTotal: { amount: 3_000, currency: "USD" },
    });
    expect(paid.status).toBe(202);
    expect(paid.body).toMatchObject({ total: 3_000, currency: "usd" });
  });
});
