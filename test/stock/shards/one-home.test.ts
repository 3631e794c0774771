import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SkuObject } from "../../../src/objects/sku-object";
import { objectName, shardOf } from "../../../src/stock/addressing";
import { createSku, putSale, unique } from "../../support/helpers";
import { customerUsageAcross, expectWholeAudited, setShards } from "../../support/shards";

/**
 * A customer has one home at a time (spec §8, issue 17 item 2): a sale's
 * per-customer limit holds across a change of the shard count, whether the
 * old home missed the new count or a hold was already waiting there.
 */
const LIMIT = 2;

async function limitedSku(stock: number, shards: number) {
  const sku = await createSku({ stock, alwaysOn: false });
  await putSale(unique("one-home"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: LIMIT }]);
  await setShards(sku, shards);
  return sku;
}

/** A customer whose home under 2 shards is shard 1 and under 3 shards is shard 2 (shard 1 still serves others). */
const mover = Array.from({ length: 500 }, (_, i) => `one-home-${i}`).find((c) => shardOf(c, 2) === 1 && shardOf(c, 3) === 2)!;

describe("one home per customer across a change of the shard count", () => {
  it("refuses a hold on an old home that missed the new count once the new home served the customer", async () => {
    const sku = await limitedSku(20, 2);
    const oldHome = env.SKU.getByName(objectName(sku, 1));
    // The customer's first unit, on their home under 2 shards (which has then checked them for a fence, and found none).
    const first = await oldHome.reserve({ customerId: mover, quantity: 1 }, null);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    // The old home keeps the count of 2: its copy of the new settings never arrived.
    const before = await runInDurableObject(oldHome, (_o, state) => state.storage.sql.exec("SELECT * FROM sku").one());
    await setShards(sku, 3);
    await runInDurableObject(oldHome, (o: SkuObject, state) => {
      // Every column the push changed goes back to what it was.
      for (const column of ["shards", "shard_history", "shard_epoch"].filter((c) => c in before))
        state.storage.sql.exec(`UPDATE sku SET ${column} = ?`, before[column]);
      o.ledger.tables.forget();
      o.escrow.forgetRole();
    });
    // The new home serves the rest of the customer's limit, and fences the old home...
    const atNew = await env.SKU.getByName(objectName(sku, 2)).reserve({ customerId: mover, quantity: LIMIT - 1 }, null);
    expect(atNew.ok, JSON.stringify(atNew)).toBe(true);
    // ...then a stale isolate (count 2) sends them to the old home.
    const atOld = await oldHome.reserve({ customerId: mover, quantity: 1 }, null);
    expect(atOld.ok, `the old home granted ${JSON.stringify(atOld)} beyond the limit`).toBe(false);
    expect(await customerUsageAcross(sku, mover)).toBe(LIMIT);
    await expectWholeAudited(sku);
  });

  it("refuses a hold that was waiting on the old home when the count changed, inside the hold's transaction", async () => {
    const sku = await limitedSku(20, 2);
    const outcome = await runInDurableObject(env.SKU.getByName(objectName(sku, 1)), async (o: SkuObject) => {
      // Shard 1 has no units yet: the hold asks the pool and waits for its answer.
      const waiting = o.reserve({ customerId: mover, quantity: LIMIT }, null);
      // Meanwhile the new count arrives: the customer's home is now shard 2.
      await o.configureShard(
        sku,
        1,
        { name: `Test ${sku}`, price: { amount: 1999, currency: "usd" }, alwaysOn: true, shards: 3 },
        [],
        [2],
        1,
      );
      return waiting;
    });
    expect(outcome, "the old home granted a hold for a customer it no longer serves").toMatchObject({
      ok: false,
      code: "unavailable",
      extra: { shards: 3 },
    });
  });

  it("pushes the settings again to a shard that missed them when it asks the pool for units", async () => {
    const sku = await limitedSku(20, 2);
    const oldHome = env.SKU.getByName(objectName(sku, 1));
    const before = await runInDurableObject(oldHome, (_o, state) => state.storage.sql.exec("SELECT * FROM sku").one());
    await setShards(sku, 3);
    await runInDurableObject(oldHome, (o: SkuObject, state) => {
      for (const column of ["shards", "shard_history", "shard_epoch"].filter((c) => c in before))
        state.storage.sql.exec(`UPDATE sku SET ${column} = ?`, before[column]);
      o.ledger.tables.forget();
      o.escrow.forgetRole();
    });
    // A customer shard 1 serves under either count: their hold needs units from the pool.
    const stay = Array.from({ length: 500 }, (_, i) => `stay-${i}`).find((c) => shardOf(c, 2) === 1 && shardOf(c, 3) === 1)!;
    const res = await oldHome.reserve({ customerId: stay, quantity: 1 }, null);
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const after = await runInDurableObject(oldHome, (_o, state) => state.storage.sql.exec("SELECT shards FROM sku").one());
    expect(after.shards, "the pool granted units to a shard that still has the old count").toBe(3);
    await expectWholeAudited(sku);
  });
});
