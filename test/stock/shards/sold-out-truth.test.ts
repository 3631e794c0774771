import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { objectName, POOL } from "../../../src/stock/addressing";
import { Escrow } from "../../../src/stock/shards/escrow";
import type { Grant } from "../../../src/stock/shards/escrow-policy";
import { createSku, expectProblem, hold } from "../../support/helpers";
import { customersOnShard, expectWholeAudited, setShards } from "../../support/shards";

/**
 * `sold_out` is the whole SKU's truth (spec §8, issue 17 item 1): whatever
 * order the shards ask the pool in, the pool answers "out" (null) only when
 * no object of the SKU has a free unit (beyond SHARD_SOLD_OUT_BOUND_MS after
 * units come back). The pool's side runs with a frozen clock, so the bound
 * never lapses between the steps: the order of calls alone decides.
 */
describe("sold out across shards", () => {
  it("stock 3, 2 shards, every unit on shard 0 after it asked for more: the pool still grants shard 1 a unit", async () => {
    const sku = await createSku({ stock: 3 });
    await setShards(sku, 2);
    const answers = await runInDurableObject(env.SKU.getByName(sku), async (o: SkuObject) => {
      const frozen = Date.now();
      // The object's own bindings: a stub made in the test's context cannot be used from inside the object.
      const pool = new Escrow((o as unknown as { env: Env }).env, o.ledger, () => frozen);
      const role = pool.role()!;
      const shard0 = pool.peer(role, 0);
      const landed = async (g: Grant) => {
        if (g && g !== "later") {
          await shard0.receiveTransfer({ transferId: g.transferId, peer: POOL, units: g.units });
          pool.post(g.transferId, frozen);
        }
        return g;
      };
      // Shard 0 is granted every unit, then asks again (a refill ahead of need, or a hold of 4).
      const first = await landed(await pool.grant(role, 0, 3));
      const again = await pool.grant(role, 0, 1);
      // Shard 1's first customer: shard 0 has 3 free units the pool can recall.
      const forShard1 = await pool.grant(role, 1, 1);
      return { first, again, forShard1 };
    });
    expect(answers.first).toMatchObject({ units: 3 });
    expect(answers.again, "nothing is free beyond shard 0's own units").toBeNull();
    expect(answers.forShard1, "the pool told shard 1 the SKU is out while shard 0 had 3 free").toMatchObject({ peer: 1, units: 1 });
  });

  it("does not let a recall that spared one shard answer for a refill that shard did not ask for", async () => {
    const sku = await createSku({ stock: 3 });
    await setShards(sku, 2);
    const pool = env.SKU.getByName(sku);
    const shard0 = env.SKU.getByName(objectName(sku, 0));
    const sent = await pool.grant(0, 3);
    if (sent === null || sent === "later") throw new Error(`the pool sent nothing: ${JSON.stringify(sent)}`);
    await shard0.receiveTransfer({ transferId: sent.transferId, peer: POOL, units: sent.units });
    // Shard 0 and shard 1 ask at once: shard 0's ask recalls from shard 1 only; shard 1's must recall from shard 0.
    const [, for1] = await Promise.all([pool.grant(0, 1), pool.grant(1, 1)]);
    expect(for1, "shard 1 was told the SKU is out while shard 0 had 3 free").not.toBeNull();
  });

  it("answers a shard-1 customer with a hold, not sold_out, after shard 0 took every unit and asked for more", async () => {
    const sku = await createSku({ stock: 3 });
    await setShards(sku, 2);
    const [a] = customersOnShard(0, 2, 1, "truth-a-");
    const [b] = customersOnShard(1, 2, 1, "truth-b-");
    expectProblem(await hold(sku, a!, 4), 409, "insufficient_stock");
    expect((await env.SKU.getByName(objectName(sku, 0)).part(false))?.levels.available).toBe(3);
    const res = await hold(sku, b!, 1);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await expectWholeAudited(sku);
  });
});
