import { describe, expect, it } from "vitest";
import { holdKeyCustomer, holdOperation, ownerScope, scopedKey } from "../../../src/idempotency/keys";
import { keysMovedTo, MovedKeys } from "../../../src/stock/shards/moved-keys";
import { POOL, shardOf } from "../../../src/stock/addressing";
import type { SkuObject } from "../../../src/objects/sku-object";
import type { SqlReplies } from "../../../src/idempotency/sql-replies";
import { createLog } from "../../../src/platform/log";

/** Hold keys that follow their customers across a change of the shard count (src/stock/shards/moved-keys.ts). */

const holdKey = (customerId: string, sku: string, key: string) =>
  scopedKey(ownerScope({ kind: "shopper", customerId }), holdOperation(sku), key);

/** Peers answering from a table of keys by home; counts the asks. */
function peers(answer: (home: number, self: number, shards: number) => string[] | Error) {
  const asked: number[] = [];
  const peer = (home: number) =>
    ({
      keysMovedTo: async (self: number, shards: number) => {
        asked.push(home);
        const a = answer(home, self, shards);
        if (a instanceof Error) throw a;
        return a;
      },
    }) as unknown as DurableObjectStub<SkuObject>;
  return { peer, asked };
}

describe("hold keys that moved with their customers", () => {
  it("reads back the customer of a hold key, and nothing from any other key", () => {
    expect(holdKeyCustomer(holdKey("alice", "tee", "k-1"), "tee")).toBe("alice");
    expect(holdKeyCustomer(holdKey("a|b", "tee", "k|2"), "tee")).toBe("a|b");
    expect(holdKeyCustomer(holdKey("alice", "mug", "k-1"), "tee")).toBeNull();
    expect(holdKeyCustomer("merchant|adjust:tee|k-1", "tee")).toBeNull();
  });

  it("asks every object of the earlier counts but itself, once per role", async () => {
    const moved = new MovedKeys(createLog("critical"));
    const { peer, asked } = peers((home) => [`key-from-${home}`]);
    expect(await moved.here(2, 4, [], peer)).toEqual([]);
    expect(asked).toEqual([]);
    // Counts 1 (the pool served) and 3 (shards 0..2): every one of them but shard 2 itself.
    expect([...((await moved.here(2, 4, [1, 3], peer)) ?? [])].sort()).toEqual(["key-from--1", "key-from-0", "key-from-1"]);
    expect(asked.sort()).toEqual([POOL, 0, 1].sort());
    await moved.here(2, 4, [1, 3], peer);
    expect(asked).toHaveLength(3);
    moved.forget();
    await moved.here(2, 4, [1, 3], peer);
    expect(asked).toHaveLength(6);
  });

  it("after a failed ask, answers without asking for a while, so a stampede of refusals asks once", async () => {
    const moved = new MovedKeys(createLog("critical"));
    const { peer, asked } = peers(() => new Error("overloaded"));
    expect(await moved.here(0, 2, [4], peer)).toBeNull();
    const after = asked.length;
    expect(after).toBeGreaterThan(0);
    expect(await moved.here(0, 2, [4], peer)).toBeNull();
    expect(asked).toHaveLength(after);
  });

  it("hands a home only the hold keys of its own customers", () => {
    const customers = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const keys = customers.map((c) => holdKey(c, "tee", `k-${c}`));
    const replies = { acceptedKeys: () => [...keys, "merchant|adjust:tee|x", holdKey("c1", "mug", "other-sku")] } as unknown as SqlReplies;
    const home = shardOf("c0", 4);
    const mine = keysMovedTo(replies, "tee", home, 4, Date.now());
    expect(mine).toEqual(keys.filter((_, i) => shardOf(customers[i]!, 4) === home));
    expect(mine?.length).toBeGreaterThan(0);
    expect(keysMovedTo(replies, "tee", POOL, 1, Date.now())).toEqual(keys);
  });
});
