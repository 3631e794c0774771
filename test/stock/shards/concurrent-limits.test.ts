import { describe, expect, it } from "vitest";
import { createSku, hold, putSale, unique } from "../../support/helpers";
import { customerUsageAcross, expectWholeAudited, setShards } from "../../support/shards";

/**
 * Limits and sold-out across shards under concurrency (spec §8, issue 17
 * item 10): many holds by the same customers at once, on a sharded SKU, and
 * across a change of the shard count while they are in flight.
 */
const LIMIT = 2;

async function limitedSku(stock: number, shards: number) {
  const sku = await createSku({ stock, alwaysOn: false });
  await putSale(unique("concurrent"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: LIMIT }]);
  await setShards(sku, shards);
  return sku;
}

/** `each` holds of one unit by every customer, all in flight together. */
function burst(sku: string, customers: readonly string[], each: number) {
  return Promise.all(customers.flatMap((c) => Array.from({ length: each }, async () => ({ customer: c, res: await hold(sku, c, 1) }))));
}

describe("limits and sold-out across shards, concurrently", () => {
  it("grants each customer exactly their limit when their holds arrive at once", { timeout: 60_000 }, async () => {
    const sku = await limitedSku(200, 4);
    const customers = Array.from({ length: 12 }, (_, i) => `concurrent-limit-${i}`);
    const answers = await burst(sku, customers, 5);
    for (const customer of customers) {
      const mine = answers.filter((a) => a.customer === customer);
      expect(
        mine.filter((a) => a.res.status === 201),
        customer,
      ).toHaveLength(LIMIT);
      for (const a of mine.filter((x) => x.res.status !== 201)) expect(a.res.body.code, JSON.stringify(a.res.body)).toBe("limit_exceeded");
      expect(await customerUsageAcross(sku, customer)).toBe(LIMIT);
    }
    await expectWholeAudited(sku);
  });

  it("never lets a customer past their limit while the shard count changes under their holds", { timeout: 60_000 }, async () => {
    const sku = await limitedSku(200, 2);
    const customers = Array.from({ length: 12 }, (_, i) => `concurrent-move-${i}`);
    const [answers] = await Promise.all([burst(sku, customers, 5), setShards(sku, 3)]);
    for (const customer of customers) {
      const granted = answers.filter((a) => a.customer === customer && a.res.status === 201).length;
      const used = await customerUsageAcross(sku, customer);
      expect(used, customer).toBeLessThanOrEqual(LIMIT);
      expect(used, customer).toBe(granted);
    }
    // Refusals are the limit, or a transient "retry" while the count changed: never stock.
    for (const a of answers.filter((x) => x.res.status !== 201))
      expect(["limit_exceeded", "unavailable"], JSON.stringify(a.res.body)).toContain(a.res.body.code);
    await expectWholeAudited(sku);
  });

  it("sells exactly the stock to the same customers holding at once, and says sold_out only once it is all held", {
    timeout: 60_000,
  }, async () => {
    const stock = 30;
    const sku = await createSku({ stock });
    await setShards(sku, 4);
    const customers = Array.from({ length: 20 }, (_, i) => `concurrent-out-${i}`);
    const answers = await burst(sku, customers, 3);
    const granted = answers.filter((a) => a.res.status === 201);
    const refused = answers.filter((a) => a.res.status !== 201);
    // No hold is released, so a sold_out while units were still free would leave fewer than the stock held.
    expect(granted).toHaveLength(stock);
    for (const a of refused) expect(a.res.body.code, JSON.stringify(a.res.body)).toBe("sold_out");
    const stats = await expectWholeAudited(sku);
    expect(stats.levels).toMatchObject({ reserved: stock, available: 0 });
  });
});
