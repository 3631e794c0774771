import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clientAddress, createSku, expectProblem, hold, levels, putSale, unique } from "../support/helpers";
import { objectSql } from "../support/inside-objects";

/**
 * spec §§3 and 6: a retry never does anything twice, and a stored
 * result always wins over a refusal that says nothing about the request.
 * Each test here failed on the code before the change that made it pass.
 * Refunds' part of this is in test/orders/refunds.test.ts.
 */

const keyed = () => ({ "Idempotency-Key": unique("idem") });

describe("a retry of a hold that succeeded", () => {
  it("gets its hold back after the SKU sold out, though fresh keys are cut at the edge", async () => {
    const sku = await createSku({ stock: 1 });
    const key = keyed();
    const first = await hold(sku, "winner", 1, key);
    expect(first.status).toBe(201);
    // Another shopper's refusal leaves the sold-out verdict at the edge.
    expectProblem(await hold(sku, "late-1", 1, keyed()), 409, "sold_out");
    const cut = await hold(sku, "late-2", 1, keyed());
    expectProblem(cut, 409, "sold_out");
    expect(cut.headers.get("holdfast-cache")).toBe("hit");

    const retry = await hold(sku, "winner", 1, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expect(await levels(sku)).toMatchObject({ reserved: 1, available: 0 });
  });

  it("spares the object the fresh keys of a sold-out stampede (the accepted-key filter)", async () => {
    const sku = await createSku({ stock: 3 });
    for (const who of ["a", "b", "c"]) expect((await hold(sku, who, 1, keyed())).status).toBe(201);
    expectProblem(await hold(sku, "first-refused", 1, keyed()), 409, "sold_out");
    const before = await env.SKU.getByName(sku).counters();
    const started = Date.now();
    const stampede = await Promise.all(Array.from({ length: 100 }, (_, i) => hold(sku, `s${i}`, 1, keyed())));
    const elapsed_s = (Date.now() - started) / 1000;
    expect(stampede.every((r) => r.status === 409 && r.body.code === "sold_out")).toBe(true);
    const after = await env.SKU.getByName(sku).counters();
    const reached = (after.refused_sold_out ?? 0) - (before.refused_sold_out ?? 0);
    // A verdict lives EDGE_CACHE_TTL_SECONDS (1 s), so one refusal a second renews it; beyond that
    // only the filter's ~1% false positives reach the object. Without the filter all 100 would.
    expect(reached).toBeLessThanOrEqual(3 + Math.ceil(elapsed_s));
  });

  it("is answered from its stored hold when the address is over its rate budget", async () => {
    const sku = await createSku({ stock: 100 });
    const ip = clientAddress();
    const key = keyed();
    const first = await hold(sku, "keeper", 1, { ...ip, ...key });
    expect(first.status).toBe(201);
    // The address's budget is 20 per 10 s; a loaded machine may spread one burst past a window, so flood until it bites (bounded).
    let limited = false;
    for (let burst = 0; burst < 5 && !limited; burst++) {
      const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => hold(sku, `f${burst}-${i}`, 1, ip)));
      limited = flood.some((r) => r.status === 429);
    }
    expect(limited).toBe(true);

    const retry = await hold(sku, "keeper", 1, { ...ip, ...key });
    expect(retry.status).toBe(201);
    expect(retry.body.holdId).toBe(first.body.holdId);
    // A key that never ran is still refused for load.
    expectProblem(await hold(sku, "keeper", 1, { ...ip, ...keyed() }), 429, "rate_limited");
  });
});

describe("transient refusals are never stored under a key", () => {
  it("runs a retry after a sale's per-customer rate refused it, instead of replaying the 429", async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    await putSale(unique("paced"), [{ sku, price: { amount: 100, currency: "usd" }, perCustomerLimit: 5, holdsPerMinute: 1 }]);
    expect((await hold(sku, "pat", 1)).status).toBe(201);
    const key = keyed();
    expectProblem(await hold(sku, "pat", 1, key), 429, "rate_limited");
    // A minute passes for the bucket.
    await objectSql(sku, "UPDATE customer_usage SET rate_at_ms = rate_at_ms - 60000 WHERE customer_id = 'pat'");
    const retry = await hold(sku, "pat", 1, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
  });
});
