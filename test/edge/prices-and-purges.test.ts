import { describe, expect, it } from "vitest";
import { cacheKey, lookup } from "../../src/edge/cache";
import { ADMIN, call, createSku, expectProblem, hold, unique } from "../support/helpers";

/**
 * Issue 26: what the edge caches about a sale goes with every write of it, its
 * end included, and a copy in the location's cache counts only until its own
 * expiry.
 */
describe("the edge and sale writes", () => {
  it("ending a sale with a waiting room clears the edge's list of queued sales: an alwaysOn SKU takes holds at once", async () => {
    const sku = await createSku({ stock: 5 });
    const saleId = unique("queued");
    const now = Date.now();
    const put = await call(`/v1/sales/${saleId}`, {
      method: "PUT",
      auth: ADMIN,
      body: {
        name: "Queued",
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        items: [{ sku, price: { amount: 1_500, currency: "usd" }, perCustomerLimit: 2 }],
        queue: { mode: "fifo" },
      },
    });
    expect(put.status).toBe(201);
    // This read puts the SKU's queued sales in the edge's memory.
    expectProblem(await hold(sku, unique("c"), 1), 403, "admission_required");
    expect((await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, body: {} })).status).toBe(200);
    const after = await hold(sku, unique("c"), 1);
    expect(after.status).toBe(201);
    expect(after.body.unitPrice).toEqual({ amount: 1_999, currency: "usd" });
  });
});

describe("the location's cache", () => {
  it("a copy past its stored expiry is not a hit", async () => {
    const id = unique("expired");
    await caches.default.put(
      cacheKey("sku", id),
      new Response("{}", { headers: { "holdfast-expires-at": String(Date.now() - 1_000), "cache-control": "public, max-age=60" } }),
    );
    expect(await lookup("sku", id)).toBeNull();
  });
});
