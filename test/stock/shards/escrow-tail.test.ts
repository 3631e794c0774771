import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Grant } from "../../../src/stock/shards/escrow-policy";
import { POOL } from "../../../src/stock/addressing";
import { REDELIVER_AFTER_MS } from "../../../src/stock/shards/transfers";
import { createSku, hold, sleep } from "../../support/helpers";
import { customersOnShard, expectWholeAudited, setPace, setShards, type Stub, stubOf } from "../../support/shards";

/**
 * The escrow at the tail of a sale (spec §8, issue 8): a refill's
 * acknowledgement rides on the shard's next call to the pool; a recall lets
 * a busy sibling keep its pace, and the pool answers "later" rather than
 * "empty" while a sibling keeps units, so `sold_out` still means the whole
 * SKU is out.
 */

/** Credits a grant on its shard and posts it on the pool, as a refill would. */
async function deliver(sku: string, shard: number, grant: Grant): Promise<number> {
  if (grant === null || grant === "later") throw new Error(`the pool sent nothing (${String(grant)})`);
  await stubOf(sku, shard).receiveTransfer({ transferId: grant.transferId, peer: POOL, units: grant.units });
  await stubOf(sku, null).postTransfer(grant.transferId);
  return grant.units;
}

async function freeUnits(stub: Stub): Promise<number> {
  const part = await stub.part(false);
  return part ? part.levels.available : 0;
}

describe("the escrow at the tail", () => {
  it("posts a refill on the shard's next call to the pool, not a call of its own and not the re-delivery", async () => {
    const sku = await createSku({ stock: 100 });
    await setShards(sku, 2);
    const [customer] = customersOnShard(0, 2, 1, "ack-");
    expect((await hold(sku, customer!, 1)).status).toBe(201);
    const sent = () =>
      runInDurableObject(stubOf(sku, null), (_o, state) =>
        state.storage.sql
          .exec<{ status: string; created_at_ms: number; posted_at_ms: number | null }>(
            "SELECT status, created_at_ms, posted_at_ms FROM transfers WHERE direction = 'out' AND peer = 0",
          )
          .toArray(),
      );
    // The shard credited the grant before the hold answered; the pool has not heard yet.
    expect((await sent()).map((t) => t.status)).toEqual(["pending"]);
    // The shard's level report (within UNWATCHED_REPORT_MS) carries the acknowledgement.
    let rows = await sent();
    for (let i = 0; i < 40 && rows[0]?.status === "pending"; i++) {
      await sleep(50);
      rows = await sent();
    }
    expect(rows[0]?.status).toBe("posted");
    expect(rows[0]!.posted_at_ms! - rows[0]!.created_at_ms).toBeLessThan(REDELIVER_AFTER_MS);
    await expectWholeAudited(sku);
  });

  it("lets a busy sibling keep its pace in a recall, answers later meanwhile, and empty only when no shard has a free unit", async () => {
    const sku = await createSku({ stock: 10 });
    await setShards(sku, 2);
    const pool = stubOf(sku, null);
    // Shard 1 holds 4 free units, shard 0 the other 6; the pool is empty.
    expect(await deliver(sku, 1, await pool.grant(1, 4))).toBe(4);
    expect(await deliver(sku, 0, await pool.grant(0, 6))).toBe(6);
    expect(await freeUnits(pool)).toBe(0);

    // Shard 1 sells 3 units per pace window: it keeps 3 and gives back 1.
    await setPace(stubOf(sku, 1), 3, 60_000);
    expect(await deliver(sku, 0, await pool.grant(0, 2))).toBe(1);
    expect(await freeUnits(stubOf(sku, 1))).toBe(3);
    // Nothing left to give but what shard 1 is selling: not "empty", which would make shard 0 answer sold_out.
    expect(await pool.grant(0, 1)).toBe("later");
    expect(await freeUnits(stubOf(sku, 1))).toBe(3);

    // Once shard 1 is quiet, a recall takes everything it has.
    await setPace(stubOf(sku, 1), 0, 60_000);
    expect(await deliver(sku, 0, await pool.grant(0, 3))).toBe(3);
    expect(await freeUnits(stubOf(sku, 1))).toBe(0);
    // No free unit on any sibling: now the SKU's answer for shard 0 is "empty".
    expect(await pool.grant(0, 1)).toBeNull();
    const stats = await expectWholeAudited(sku);
    expect(stats.levels).toMatchObject({ onHand: 10, available: 10 });
  });

  it("keeps a hold on a dry shard waiting while a sibling sells what it kept, and grants it once the sibling goes quiet", async () => {
    const sku = await createSku({ stock: 4 });
    await setShards(sku, 2);
    // Every unit sits on shard 1, which sold 4 in its last window (250 ms here).
    expect(await deliver(sku, 1, await stubOf(sku, null).grant(1, 4))).toBe(4);
    await setPace(stubOf(sku, 1), 4, 250);
    const [customer] = customersOnShard(0, 2, 1, "dry-");
    const res = await hold(sku, customer!, 1);
    // Told "later" while shard 1 kept its pace, the hold asked again until the recall took units.
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await freeUnits(stubOf(sku, 1))).toBeLessThan(4);
    const stats = await expectWholeAudited(sku);
    expect(stats.levels).toMatchObject({ onHand: 4, reserved: 1, available: 3 });
  });
});
