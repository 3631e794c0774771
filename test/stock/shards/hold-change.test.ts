import { describe, expect, it } from "vitest";
import { placeOfHold } from "../../../src/stock/addressing";
import { call, createSku, expectProblem, hold, holdOf, levels, putSale, shopperToken, unique } from "../../support/helpers";
import { objectSql } from "../../support/inside-objects";
import { customerUsageAcross, escrowStats, expectWholeAudited, setShards } from "../../support/shards";

/** Changing a hold's quantity on a sharded SKU (spec §§3 and 8, issue 23). */

async function change(sku: string, holdId: string, customerId: string, quantity: number) {
  return call(`/v1/skus/${sku}/holds/${holdId}`, { method: "PATCH", auth: await shopperToken(customerId), body: { quantity } });
}

/** A shard's own free units (its allotment less what it holds). */
async function shardFree(sku: string, shard: number): Promise<number> {
  const [row] = await objectSql<{ free: number }>(`${sku}#${shard}`, "SELECT on_hand - reserved AS free FROM sku WHERE id = 1");
  return row?.free ?? 0;
}

describe("changing a hold on a sharded SKU", () => {
  it("refills a shard short of units for an increase, as for a new hold, and refuses only what the whole SKU lacks", async () => {
    const sku = await createSku({ stock: 40 });
    await setShards(sku, 4);
    const h = holdOf(await hold(sku, "shard-grower", 1));
    const shard = placeOfHold(h.holdId)?.shard;
    expect(shard).not.toBeNull();
    const free = await shardFree(sku, shard!);
    const callsBefore = (await escrowStats(sku)).escrow.poolCalls;
    // More than the shard has: only a refill from the pool can grant it.
    const wanted = 1 + free + 5;
    const grown = await change(sku, h.holdId, "shard-grower", wanted);
    expect(grown, JSON.stringify(grown.body)).toMatchObject({ status: 200, body: { holdId: h.holdId, quantity: wanted } });
    expect((await escrowStats(sku)).escrow.poolCalls).toBeGreaterThan(callsBefore);
    const tooMany = await change(sku, h.holdId, "shard-grower", 41);
    expectProblem(tooMany, 409, "insufficient_stock");
    expect(tooMany.body.available).toBe(40 - wanted);
    expect(await levels(sku)).toMatchObject({ reserved: wanted, available: 40 - wanted });
    await expectWholeAudited(sku);
  });

  it("adds no units where a moved customer's hold stays, and still gives units back there", async () => {
    const sku = await createSku({ stock: 10 });
    const h = holdOf(await hold(sku, "moved-cart", 2));
    await setShards(sku, 4);
    const more = await change(sku, h.holdId, "moved-cart", 3);
    expectProblem(more, 409, "insufficient_stock");
    expect(more.body.available).toBe(0);
    expect(await change(sku, h.holdId, "moved-cart", 1)).toMatchObject({ status: 200, body: { quantity: 1 } });
    expect(await levels(sku)).toMatchObject({ reserved: 1, available: 9 });
    await expectWholeAudited(sku);
  });

  it("counts the customer's units in their earlier home against the limit of an increase", async () => {
    const sku = await createSku({ stock: 20, alwaysOn: false });
    await putSale(unique("chg-shards"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 4 }]);
    const customer = "two-homes";
    expect((await hold(sku, customer, 2)).status).toBe(201);
    await setShards(sku, 4);
    const h = holdOf(await hold(sku, customer, 1));
    expect(placeOfHold(h.holdId)?.shard).not.toBeNull();
    const over = await change(sku, h.holdId, customer, 3);
    expectProblem(over, 409, "limit_exceeded");
    expect(over.body.remaining).toBe(1);
    expect(await change(sku, h.holdId, customer, 2)).toMatchObject({ status: 200, body: { quantity: 2 } });
    expect(await customerUsageAcross(sku, customer)).toBe(4);
    await expectWholeAudited(sku);
  });
});
