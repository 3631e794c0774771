import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { warmSale } from "../../scripts/warm/warm.ts";
import { call, createSku, putSale, unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

/** Issue 21: `npm run warm -- --sale <id>` wakes the sale's objects and primes the edge cache. */
describe("npm run warm", () => {
  it("reads the sale and each SKU through the edge, then wakes every object with the board", async () => {
    const [a, b] = [await createSku({ stock: 5, alwaysOn: false }), await createSku({ stock: 7, alwaysOn: false })];
    const saleId = unique("warm");
    const item = (sku: string) => ({ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 2 });
    expect((await putSale(saleId, [item(a), item(b)])).status).toBe(201);
    const lines = await warmSale((r) => exports.default.fetch(r), "https://holdfast.test", TEST_SECRETS.ADMIN_TOKEN, saleId);
    expect(lines.map((l) => l.what)).toEqual([`sale ${saleId}`, `sku ${a}`, `sku ${b}`, "objects"]);
    expect(lines[1]!.detail).toContain("5 available");
    expect(lines[3]!.detail).toBe("2 SKU objects awake");
    // Primed: the next shopper's read of the SKU is answered from the edge cache.
    expect((await call(`/v1/skus/${a}`)).headers.get("holdfast-cache")).toBe("hit");
  });

  it("says when the sale does not exist", async () => {
    await expect(
      warmSale((r) => exports.default.fetch(r), "https://holdfast.test", TEST_SECRETS.ADMIN_TOKEN, unique("none")),
    ).rejects.toThrow(/answered 404/);
  });
});
