import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { createSku, hold, putSale, unique } from "../../support/helpers";
import { customerUsageAcross, setShards } from "../../support/shards";

/**
 * The hold path asks an earlier home about a customer only when one may have
 * served them (issue 17, hot path): a SKU sharded before its first hold has
 * no earlier home, so its holds make no call beyond their shard.
 */

/**
 * Counts the calls the SKU's own object answers as a customer's earlier home
 * (Escrow.priorOf). RPC reaches prototype methods only, so the count wraps the
 * prototype's and counts the calls made on this one object.
 */
async function countPriorReads(sku: string): Promise<{ reads: () => number; restore: () => void }> {
  const pool = await runInDurableObject(env.SKU.getByName(sku), (o: SkuObject) => o);
  const proto = Object.getPrototypeOf(pool) as SkuObject;
  const original = proto.priorHere;
  let reads = 0;
  proto.priorHere = function (this: SkuObject, ...args) {
    if (this === pool) reads += 1;
    return original.apply(this, args);
  };
  return {
    reads: () => reads,
    restore: () => {
      proto.priorHere = original;
    },
  };
}

describe("earlier homes on the hold path", () => {
  it("a SKU sharded before any hold asks no earlier home on a shard's hold", async () => {
    const sku = await createSku({ stock: 20 });
    await setShards(sku, 4);
    const counter = await countPriorReads(sku);
    try {
      for (const customer of ["fresh-a", "fresh-b", "fresh-c"]) expect((await hold(sku, customer, 1)).status).toBe(201);
      expect(counter.reads()).toBe(0);
    } finally {
      counter.restore();
    }
  });

  it("a customer the SKU's own object served before the shards is still read there, and keeps one limit", async () => {
    const sku = await createSku({ stock: 20, alwaysOn: false });
    await putSale(unique("home-moves"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 2 }]);
    const customer = "served-before";
    expect((await hold(sku, customer, 2)).status).toBe(201);
    await setShards(sku, 4);
    const counter = await countPriorReads(sku);
    try {
      const again = await hold(sku, customer, 1);
      expect(again.status, JSON.stringify(again.body)).toBe(409);
      expect(again.body.code).toBe("limit_exceeded");
      expect(counter.reads()).toBeGreaterThan(0);
    } finally {
      counter.restore();
    }
    expect(await customerUsageAcross(sku, customer)).toBe(2);
  });
});
