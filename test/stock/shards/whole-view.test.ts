import { describe, expect, it } from "vitest";
import { objectName, shardOf } from "../../../src/stock/addressing";
import { ADMIN, call, createSku, hold, unique } from "../../support/helpers";
import { backdateHold, holdStatus } from "../../support/inside-objects";
import { setShards } from "../../support/shards";

/**
 * A SKU's view is as of now (spec §2, 8): a hold past its deadline is not
 * reserved, whichever object holds it and whether or not its alarm has run
 * yet. Found by `npm run chaos` (seed 1566866003): the pool settled its own
 * overdue holds before answering, the shards' parts did not, so a sharded
 * SKU's view counted a unit whose hold had ended as reserved.
 */
describe("the whole view of a sharded SKU", () => {
  it("does not count as reserved a shard's hold whose deadline passed before its alarm ran", async () => {
    const sku = await createSku({ stock: 10 });
    await setShards(sku, 2);
    const customer = unique("overdue");
    const taken = await hold(sku, customer, 2);
    expect(taken.status).toBe(201);
    const shard = objectName(sku, shardOf(customer, 2));
    await backdateHold(shard, taken.body.holdId);
    expect(await holdStatus(shard, taken.body.holdId)).toBe("held");

    const view = await call(`/v1/skus/${sku}`, { auth: ADMIN });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ onHand: 10, reserved: 0, available: 10 });
    expect(await holdStatus(shard, taken.body.holdId)).toBe("expired");
  });
});
