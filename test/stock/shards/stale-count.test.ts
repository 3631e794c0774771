import { env } from "cloudflare:workers";
import { afterAll, describe, expect, it } from "vitest";
import { idempotencyKey } from "../../../src/http/idempotency";
import { holdOperation } from "../../../src/idempotency/keys";
import { placeOfHold, shardOf } from "../../../src/stock/addressing";
import { signAdmission } from "../../../src/waiting-room/tokens";
import { ADMIN, call, createSku, hold, unique } from "../../support/helpers";
import { TEST_SECRETS } from "../../support/secrets";
import { setShards } from "../../support/shards";

/**
 * Keyed retries across a change of the shard count, from an isolate whose
 * count is stale or fresh (issue 17 item 6): a retry of an accepted hold gets
 * its stored reply wherever the isolate sends it, never a verdict of an
 * object that is no longer the customer's home, nor a refused admission.
 */

/** A customer whose home is shard `under2` of 2 and shard `under3` of 3. */
function customerMoving(prefix: string, under2: number, under3: number): string {
  return Array.from({ length: 2_000 }, (_, i) => `${prefix}${i}`).find((c) => shardOf(c, 2) === under2 && shardOf(c, 3) === under3)!;
}

/** A hold through this isolate, which learns the SKU's count from the object that redirects it. */
async function learnCount(sku: string, customer: string, headers: Record<string, string> = {}) {
  const res = await hold(sku, customer, 1, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const released = await call(`/v1/skus/${sku}/holds/${res.body.holdId}`, { method: "DELETE", auth: ADMIN });
  expect(released.status).toBe(200);
}

const sales: Array<{ saleId: string; sku: string }> = [];
afterAll(async () => {
  // Queued sales end, so their queue objects stop ticking before the runtime goes away.
  for (const { saleId, sku } of sales) await putQueuedSale(saleId, sku, -7_200_000, -3_600_000);
  await new Promise((r) => setTimeout(r, 1_500));
});

async function putQueuedSale(saleId: string, sku: string, startsInMs: number, endsInMs: number) {
  const now = Date.now();
  return call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: `Queued ${saleId}`,
      startsAt: new Date(now + startsInMs).toISOString(),
      endsAt: new Date(now + endsInMs).toISOString(),
      items: [{ sku, price: { amount: 500, currency: "usd" }, perCustomerLimit: 5 }],
      queue: { mode: "fifo" },
    },
  });
}

describe("keyed retries across a change of the shard count", () => {
  it("answers a retry from an isolate with a stale count with its hold, not the old home's cached sold-out", async () => {
    const sku = await createSku({ stock: 1 });
    await setShards(sku, 2);
    const mover = customerMoving("stale-mover-", 1, 2);
    const stayer = customerMoving("stale-stayer-", 1, 1);
    // This isolate learns the count 2, then the count becomes 3 without it hearing.
    await learnCount(sku, customerMoving("stale-probe-", 0, 0));
    await setShards(sku, 3);
    // Another isolate, which knows the count 3, took the last unit for the mover at their new home.
    const key = unique("stale-key");
    const idem = idempotencyKey(key, { kind: "shopper", customerId: mover }, holdOperation(sku), { quantity: 1 });
    const first = await env.SKU.getByName(`${sku}#2`).reserve({ customerId: mover, quantity: 1 }, idem);
    expect(first.ok, JSON.stringify(first)).toBe(true);
    // Here, shard 1 (still the stayer's home) answers sold_out, and this isolate keeps that verdict.
    const refused = await hold(sku, stayer, 1);
    expect(refused.body.code).toBe("sold_out");
    // The mover's retry, sent here, must get its hold back.
    const retry = await hold(sku, mover, 1, { "idempotency-key": key });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.holdId).toBe(first.ok ? first.value.holdId : "");
  });

  it("answers a retry whose admission lapsed with the hold its old home stored, after the count changed", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("stale-sale");
    sales.push({ saleId, sku });
    expect((await putQueuedSale(saleId, sku, -60_000, 3_600_000)).status).toBe(201);
    await setShards(sku, 2);
    const admit = async (customer: string) => ({
      "holdfast-admission": await signAdmission(TEST_SECRETS.QUEUE_SIGNING_SECRET, {
        s: saleId,
        c: customer,
        t: Date.now(),
        k: sku,
        e: Date.now() + 60_000,
      }),
    });
    const mover = customerMoving("lapsed-mover-", 1, 2);
    const key = { "idempotency-key": unique("lapsed-key") };
    const first = await hold(sku, mover, 1, { ...key, ...(await admit(mover)) });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(placeOfHold(first.body.holdId)?.shard).toBe(1);
    await setShards(sku, 3);
    // This isolate learns the count 3 (a customer whose home moved is redirected).
    const probe = customerMoving("lapsed-probe-", 0, 2);
    await learnCount(sku, probe, await admit(probe));
    // The retry comes without its admission (it lapsed): its stored reply is at the old home.
    const retry = await hold(sku, mover, 1, key);
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body.holdId).toBe(first.body.holdId);
  });
});
