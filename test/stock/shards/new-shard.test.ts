import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { objectName, shardOf } from "../../../src/stock/addressing";
import { createSku, hold, unique } from "../../support/helpers";
import { expectWholeAudited, setShards, stubOf } from "../../support/shards";

/**
 * A shard the SKU's own object has just added (spec §8) may get a customer's
 * hold before its settings: the pool tells a hold the new count at once, and
 * pushes the settings after, or its push failed. Such a shard is not "no such
 * SKU": it asks the pool for its settings and serves, or, while the pool
 * cannot reach it, says to retry.
 */
const newcomer = Array.from({ length: 500 }, (_, i) => `new-shard-${i}`).find((c) => shardOf(c, 3) === 2)!;

/** Makes the pool's calls to `shard` that push settings fail, until the returned function is called. */
async function failPushesTo(sku: string, shard: number): Promise<() => Promise<void>> {
  const pool = stubOf(sku, null);
  await runInDurableObject(pool, (o: SkuObject) => {
    const escrow = o.escrow as unknown as { peer: (role: unknown, i: number) => unknown };
    const real = escrow.peer.bind(escrow);
    escrow.peer = (role, i) => {
      const stub = real(role, i) as Record<string, unknown>;
      if (i !== shard) return stub;
      return new Proxy(stub, {
        get: (target, key) => (key === "configureShard" ? () => Promise.reject(new Error("network: push lost")) : target[key as string]),
      });
    };
  });
  return () =>
    runInDurableObject(pool, (o: SkuObject) => {
      delete (o.escrow as unknown as { peer?: unknown }).peer;
    });
}

describe("a shard that has not got its settings yet", () => {
  it("takes its first hold by asking the pool for them, not with not_found", async () => {
    const sku = await createSku({ stock: 20 });
    await setShards(sku, 2);
    const restore = await failPushesTo(sku, 2);
    await setShards(sku, 3);
    await restore();
    const res = await hold(sku, newcomer, 1);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const configured = await runInDurableObject(stubOf(sku, 2), (_o, state) => state.storage.sql.exec("SELECT shards FROM sku").one());
    expect(configured.shards).toBe(3);
    await expectWholeAudited(sku);
  });

  it("says to retry while the pool cannot reach it, and holds nothing", async () => {
    const sku = await createSku({ stock: 20 });
    await setShards(sku, 2);
    const restore = await failPushesTo(sku, 2);
    await setShards(sku, 3);
    const res = await hold(sku, newcomer, 1);
    await restore();
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.body.code).toBe("unavailable");
    expect((await expectWholeAudited(sku)).levels).toMatchObject({ reserved: 0 });
  });

  it("finds a keyed hold the customer's old home stored, for a retry that reaches it first", async () => {
    const sku = await createSku({ stock: 20 });
    await setShards(sku, 2);
    const idem = { key: unique("new-shard-key"), requestHash: "a".repeat(64) };
    const mover = Array.from({ length: 500 }, (_, i) => `new-shard-mover-${i}`).find((c) => shardOf(c, 2) === 1 && shardOf(c, 3) === 2)!;
    const first = await stubOf(sku, 1).reserve({ customerId: mover, quantity: 1 }, idem);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    const restore = await failPushesTo(sku, 2);
    await setShards(sku, 3);
    await restore();
    const stored = await stubOf(sku, 2).storedHold(mover, idem);
    expect(stored.reply, "the retry found no stored reply").toMatchObject({
      ok: true,
      replayed: true,
      value: { holdId: first.ok ? first.value.holdId : "" },
    });
  });

  it("is still not_found when its SKU has no such shard", async () => {
    const sku = await createSku({ stock: 20 });
    const outcome = await env.SKU.getByName(objectName(sku, 5)).reserve({ customerId: newcomer, quantity: 1 }, null);
    expect(outcome).toMatchObject({ ok: false, code: "not_found" });
  });
});
