import { describe, expect, it } from "vitest";
import { createSku, expectProblem, hold, putSale, unique } from "../support/helpers";

describe("a sale's own hold rate", () => {
  it("refuses a customer's holds beyond holdsPerMinute with 429 and Retry-After, not other customers'", async () => {
    const sku = await createSku({ stock: 50, alwaysOn: false });
    const sale = await putSale(unique("paced"), [
      { sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 10, holdsPerMinute: 2 },
    ]);
    expect(sale.body.items[0].holdsPerMinute).toBe(2);
    expect((await hold(sku, "kai", 1)).status).toBe(201);
    expect((await hold(sku, "kai", 1)).status).toBe(201);
    const third = await hold(sku, "kai", 1);
    expectProblem(third, 429, "rate_limited");
    // A bucket of 2 refills one hold every 30 s.
    expect(Number(third.headers.get("retry-after"))).toBe(30);
    expect(third.body.holdsPerMinute).toBe(2);
    expect((await hold(sku, "lou", 1)).status).toBe(201);
  });
});
